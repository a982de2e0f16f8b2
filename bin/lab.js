#!/usr/bin/env node
// The `lab` command: runs the compiled CLI (built by `npm install` / `npm run build`).
import '../dist/agent/cli.js';
