#!/usr/bin/env node
// The installed `pipeline` binary: the only place that calls process.exit.
import { main } from "../dist/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
