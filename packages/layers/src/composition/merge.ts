import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { activation } from '../activations/activation.js';
import type { ActivationSpec } from '../activations/activation-functions.js';
import { DropPath } from '../regularization/dropout.js';

/** Options of {@link residualAdd}. */
export interface ResidualAddOptions {
  /** Activation after the add (ResNet's ReLU); default none. */
  activation?: ActivationSpec | null;
  /** Drop-path rate of the branch (stochastic depth); default 0 (no layer). */
  dropPath?: number;
  /** Seed of the drop-path masks. */
  seed?: number;
}

/**
 * `shortcut + branch`, named `${prefix}.add`, with the branch optionally dropped per example first
 * (`${prefix}.drop_path`) and an activation after (`${prefix}.act`).
 */
export function residualAdd(
  prefix: string,
  options: ResidualAddOptions = {},
): (shortcut: SymbolicTensor, branch: SymbolicTensor) => SymbolicTensor {
  const drop = options.dropPath ? new DropPath({ name: `${prefix}.drop_path`, rate: options.dropPath, seed: options.seed }) : undefined;
  const add = layers.add({ name: `${prefix}.add` });
  const act = options.activation ? activation(options.activation, `${prefix}.act`) : undefined;
  return (shortcut, branch) => {
    const kept = drop ? (drop.apply(branch) as SymbolicTensor) : branch;
    const sum = add.apply([shortcut, kept]) as SymbolicTensor;
    return act ? (act.apply(sum) as SymbolicTensor) : sum;
  };
}

/** Concatenates NHWC maps along channels (Inception branches, DenseNet features), as one layer named `name`. */
export function channelConcat(name: string): (inputs: SymbolicTensor[]) => SymbolicTensor {
  const concat = layers.concatenate({ axis: -1, name });
  return (inputs) => concat.apply(inputs) as SymbolicTensor;
}
