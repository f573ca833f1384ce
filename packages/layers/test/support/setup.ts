import { initBackend, registry } from '@convkit/core';
import { plugin } from '../../src/index.js';

// Layers must be registered with tfjs serialization before saved models that use them load.
registry.use(plugin);
// Backend-independent tests need some backend; the backend matrix switches it per block.
await initBackend('cpu');
