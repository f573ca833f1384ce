#!/usr/bin/env node
import { register } from 'node:module';
import { execute, settings } from '@oclif/core';

// Plugins get the CLI's own tfjs and @convkit packages: two tfjs-core copies in one process break.
register('../dist/shared-modules-hooks.js', import.meta.url, { data: { hostURL: import.meta.url } });
// Plugins ship compiled JavaScript; oclif's ts-node lookup for linked plugins would only warn.
settings.enableAutoTranspile = false;
await execute({ dir: import.meta.url });
