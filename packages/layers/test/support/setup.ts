import { registry } from '@convkit/core';
import { plugin } from '../../src/index.js';

// Layers must be registered with tfjs serialization before saved models that use them load.
registry.use(plugin);
