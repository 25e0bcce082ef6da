#!/usr/bin/env node
// The development entry point: runs the compiled CLI (`make build` writes dist/).
import '../dist/cli.js';
