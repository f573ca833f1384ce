import type * as NodeTrain from '../../../../packages/train/dist/index.js';

/**
 * `@convkit/train`'s Node-only API, for the tests' Node side. The tests run in Node, where the
 * package resolves to its `node` entry, but this project typechecks against its `browser` entry (the
 * page's), which leaves out what reads files; the types are taken from the Node entry by path.
 */
export const { openTrainedModel } = (await import('@convkit/train')) as unknown as typeof NodeTrain;
