import type { TfDType } from './proto/tensorflow-messages.js';
import { attr, type TfGraph } from './tf-graph.js';

/**
 * The gradient rule of one recorded op: given the gradients of its outputs (undefined where no
 * gradient flows), returns its inputs' gradients (undefined for inputs that take none) as graph tensors.
 */
export type GradientRule = (outputGradients: (string | undefined)[]) => (string | undefined)[];

interface Recorded {
  inputs: string[];
  outputs: string[];
  rule: GradientRule;
}

/**
 * Reverse-mode differentiation over a {@link TfGraph}: lowerings record each differentiable op with
 * the rule that emits TensorFlow's own gradient ops for it (Conv2DBackpropInput, ReluGrad, ...), and
 * {@link Tape.gradients} walks the records backwards, summing the gradients of tensors used twice.
 */
export class Tape {
  private readonly records: Recorded[] = [];

  constructor(private readonly graph: TfGraph) {}

  /** Records an op of `inputs` producing `outputs`, differentiated by `rule`. */
  record(inputs: readonly string[], outputs: readonly string[], rule: GradientRule): void {
    this.records.push({ inputs: [...inputs], outputs: [...outputs], rule });
  }

  /**
   * Gradients of the scalar `loss` (seeded with `seed`, d loss / d loss) with respect to `targets`;
   * the gradients of a tensor used twice are summed in its dtype, `dtypeOf(tensor)`.
   */
  gradients(
    loss: string,
    seed: string,
    targets: readonly string[],
    dtypeOf: (tensor: string) => TfDType = () => 'float32',
  ): Map<string, string> {
    const pending = new Map<string, string[]>([[loss, [seed]]]);
    const total = (tensor: string): string | undefined => {
      const parts = pending.get(tensor);
      if (!parts || parts.length === 0) return undefined;
      if (parts.length === 1) return parts[0];
      const sum = this.graph.op('AddN', parts, { N: attr.int(parts.length), T: attr.type(dtypeOf(tensor)) }, { name: 'grad/sum' });
      pending.set(tensor, [sum]);
      return sum;
    };
    for (let r = this.records.length - 1; r >= 0; r--) {
      const { inputs, outputs, rule } = this.records[r] as Recorded;
      const dys = outputs.map(total);
      if (dys.every((dy) => dy === undefined)) continue;
      rule(dys).forEach((dx, i) => {
        if (dx === undefined) return;
        const input = inputs[i] as string;
        pending.set(input, [...(pending.get(input) ?? []), dx]);
      });
    }
    const result = new Map<string, string>();
    for (const target of targets) {
      const gradient = total(target);
      if (gradient !== undefined) result.set(target, gradient);
    }
    return result;
  }
}
