"""Peak dense bf16/fp16 tensor throughput of known GPUs, for MFU = tokens/s × 6·N / peak.

Figures are the vendors' datasheet numbers without sparsity. An unknown GPU, the CPU, or fp32 training
(whose peak depends on TF32 settings) gets None: no MFU is reported rather than a wrong one.
"""

from __future__ import annotations

# (substring of torch.cuda.get_device_name(), FLOP/s); the first match wins, so variants come first.
PEAKS = [
    ("H100 PCIe", 756e12),
    ("H100 NVL", 835e12),
    ("H100", 989e12),  # SXM ("NVIDIA H100 80GB HBM3")
    ("H200", 989e12),
    ("H20", 148e12),
    ("GH200", 989e12),
    ("B200", 2250e12),
    ("A100", 312e12),
    ("A800", 312e12),
    ("L40S", 362e12),
    ("L40", 181e12),
    ("L4", 121e12),
    ("A10G", 70e12),
    ("A10", 125e12),
    ("RTX 4090", 165e12),
    ("RTX 3090", 71e12),
    ("V100", 125e12),
    ("T4", 65e12),
]


def peak_flops(device_name: str, precision: str) -> float | None:
    if precision not in ("bf16", "fp16"):
        return None
    for key, peak in PEAKS:
        if key in device_name:
            return peak
    return None
