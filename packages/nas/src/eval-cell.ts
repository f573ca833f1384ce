import { DropPath } from '@convkit/layers';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { CellPlan } from './cell-geometry.js';
import { factorizedReduce } from './factorized-reduce.js';
import type { GenotypeEdge } from './genotype.js';
import { primitive, reluConvBn } from './primitives.js';
import { identity } from './unit.js';

/** One cell of a genotype: its edges and the states it concatenates. */
export interface CellGenes {
  edges: GenotypeEdge[];
  concat: number[];
}

/**
 * Builds the evaluation cell of `genes` on `s0`, `s1` (the reference's `model.Cell`): inputs brought
 * to the cell's width with affine batch norms, node i = op(state a) + op(state b) for its two edges,
 * each op's output (identities excepted) dropped per example at rate `dropPath` in training, output
 * the concatenation of `concat`. Layers are named `${prefix}.node<i>.<op>.<source>`.
 */
export function evalCell(
  prefix: string,
  plan: CellPlan,
  genes: CellGenes,
  dropPath: number,
  s0: SymbolicTensor,
  s1: SymbolicTensor,
): SymbolicTensor {
  const pre0 = plan.reductionPrev
    ? factorizedReduce(`${prefix}.preprocess0`, plan.channels, true)
    : reluConvBn(`${prefix}.preprocess0`, plan.channels, true);
  const states = [pre0(s0) as SymbolicTensor, reluConvBn(`${prefix}.preprocess1`, plan.channels, true)(s1) as SymbolicTensor];
  const steps = genes.edges.length / 2;
  for (let node = 0; node < steps; node++) {
    const branches = [0, 1].map((b) => {
      const [op, source] = genes.edges[2 * node + b] as GenotypeEdge;
      const at = `${prefix}.node${node}.edge${b}`;
      const stride = plan.reduction && source < 2 ? 2 : 1;
      const unit = primitive(op, `${at}.${op}`, { channels: plan.channels, stride, affine: true, search: false });
      const out = (unit as NonNullable<typeof unit>)(states[source] as SymbolicTensor) as SymbolicTensor;
      if (unit === identity || dropPath <= 0) return out;
      return new DropPath({ name: `${at}.drop_path`, rate: dropPath }).apply(out) as SymbolicTensor;
    });
    states.push(layers.add({ name: `${prefix}.node${node}.add` }).apply(branches) as SymbolicTensor);
  }
  const outputs = genes.concat.map((i) => states[i] as SymbolicTensor);
  return outputs.length === 1
    ? (outputs[0] as SymbolicTensor)
    : (layers.concatenate({ axis: -1, name: `${prefix}.concat` }).apply(outputs) as SymbolicTensor);
}
