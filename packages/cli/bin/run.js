#!/usr/bin/env node
import { execute, settings } from '@oclif/core';

// Plugins ship compiled JavaScript; oclif's ts-node lookup for linked plugins would only warn.
settings.enableAutoTranspile = false;
await execute({ dir: import.meta.url });
