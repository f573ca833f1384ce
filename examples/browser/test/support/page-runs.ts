/**
 * The paper's LeNet-5 (tanh, average pooling) on the smallest `shapes` run it learns past 90% with
 * margin: wasm trains it in well under a minute on a loaded 2-core machine (Node reaches the same
 * figure on the same seed); SwiftShader's webgl takes about four.
 */
export const LENET5_PAPER_RUN = { arch: 'lenet5', epochs: 4, trainSize: 4000, testSize: 500, batchSize: 32, lr: 0.003, seed: 0 } as const;
