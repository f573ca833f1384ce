// Rewrites the training-options table in README.md from the option table in src (run after `pnpm build`).
import { readFileSync, writeFileSync } from 'node:fs';
import { trainOptionsMarkdown } from '../dist/index.js';

const START = '<!-- train-options:start -->';
const END = '<!-- train-options:end -->';
const path = new URL('../README.md', import.meta.url);
const readme = readFileSync(path, 'utf8');
const before = readme.slice(0, readme.indexOf(START) + START.length);
const after = readme.slice(readme.indexOf(END));
writeFileSync(path, `${before}\n${trainOptionsMarkdown()}\n${after}`);
