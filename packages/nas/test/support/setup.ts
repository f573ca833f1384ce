import { initBackend, registry } from '@convkit/core';
import { plugin as layersPlugin } from '@convkit/layers';
import { plugin } from '../../src/index.js';

// Layer classes must be registered with tfjs before saved models load.
registry.use(layersPlugin).use(plugin);
// Backend-independent tests need some backend; the backend matrices switch it per block.
await initBackend('cpu');
