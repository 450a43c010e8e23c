"""The pieces of the LoRA recipe in docker/train.py, one concern per module. Nothing is re-exported here,
and no module imports torch, transformers or peft at import time: a bad spec fails before they load."""
