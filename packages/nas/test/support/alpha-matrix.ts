import { CELL_EDGES, PRIMITIVES, type Primitive } from '../../src/index.js';

/** A 14 x 8 alpha matrix of zeros with `set` entries: [edge, op, value]. */
export function alphaMatrix(set: [number, Primitive, number][]): number[][] {
  const a = Array.from({ length: CELL_EDGES }, () => new Array(PRIMITIVES.length).fill(0));
  for (const [edge, op, value] of set) (a[edge] as number[])[PRIMITIVES.indexOf(op)] = value;
  return a;
}
