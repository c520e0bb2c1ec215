#!/usr/bin/env node
import { existsSync } from 'node:fs';

const entry = new URL('../dist/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('llmatic is not built yet: run `npm run build` at the repository root (npm ci does it for you).');
  process.exit(1);
}
await import(entry.href);
