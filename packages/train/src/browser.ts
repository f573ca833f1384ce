/**
 * @convkit/train in a web page (the `browser` and `default` export conditions): the in-memory trainer
 * (`trainInMemory`), augmentation, schedules, optimizers, metrics, the embedded `shapes` data and
 * charts, and a `plugin` with `shapes` and the augmentations. Reading dataset files, runs on disk,
 * checkpoints and PNG pictures need Node and are in the Node entry only.
 * @packageDocumentation
 */
export * from './isomorphic.js';
export { plugin } from './plugin-browser.js';
