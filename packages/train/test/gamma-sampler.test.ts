import { SeededRng } from '@convkit/core';
import { describe, expect, it } from 'vitest';
import { sampleGamma } from '../src/augment/beta.js';

// Moments over many draws (augmentation-draws.test.ts) cannot see a small change in Marsaglia and
// Tsang's acceptance test, nor a draw more or less, which shifts every later image of a seeded run.
// A scripted generator hands the sampler chosen normals x and uniforms u, so each proposal's fate and
// the returned value can be checked against the paper's formulas.

/** Returns the given normals and uniforms in order, and fails the test if the sampler wants more. */
class ScriptedRng extends SeededRng {
  constructor(
    private readonly normals: number[],
    private readonly uniforms: number[],
  ) {
    super(0);
  }

  override normal(): number {
    const x = this.normals.shift();
    if (x === undefined) throw new Error('the sampler drew more normals than scripted');
    return x;
  }

  override next(): number {
    const u = this.uniforms.shift();
    if (u === undefined) throw new Error('the sampler drew more uniforms than scripted');
    return u;
  }

  /** How many scripted numbers were not drawn. */
  left(): number {
    return this.normals.length + this.uniforms.length;
  }
}

// Marsaglia & Tsang (2000) for shape >= 1: d = shape - 1/3, c = 1/sqrt(9d), v = (1 + cx)^3; accept
// d v when v > 0 and ln u < x^2/2 + d - dv + d ln v.
const constants = (shape: number) => {
  const d = shape - 1 / 3;
  return { d, c: 1 / Math.sqrt(9 * d) };
};
const proposal = (shape: number, x: number) => {
  const { d, c } = constants(shape);
  const v = (1 + c * x) ** 3;
  return { value: d * v, bound: 0.5 * x * x + d - d * v + d * Math.log(v) };
};

describe('the Gamma sampler, proposal by proposal', () => {
  it('Gamma(2) at x = 0 accepts at once and returns d = 5/3, drawing one normal and one uniform', () => {
    // v = 1 and the bound is 0, so any u in (0, 1) is accepted.
    const rng = new ScriptedRng([0], [0.999]);
    expect(sampleGamma(2, rng)).toBeCloseTo(5 / 3, 15);
    expect(rng.left()).toBe(0);
  });

  it('Gamma(2) at x = 1 accepts u = 0.9 and returns d (1 + c)^3 = 3.319683', () => {
    // c = 1/sqrt(15) = 0.258199, v = 1.258199^3 = 1.991810, bound = 0.5 + 5/3 (1 - v + ln v) = -0.004610,
    // and ln 0.9 = -0.105 is under it.
    const rng = new ScriptedRng([1], [0.9]);
    expect(sampleGamma(2, rng)).toBeCloseTo(3.319683, 6);
    expect(rng.left()).toBe(0);
  });

  it.each([
    [2, -1.5],
    [2, 0.5],
    [2, 2],
    [2.5, -1],
    [2.5, 1.7],
    [7, 3],
  ])('Gamma(%d) at x = %d accepts u just under e^bound and rejects u just over it', (shape, x) => {
    const { value, bound } = proposal(shape, x);
    const { d } = constants(shape);
    // Each rejected proposal is followed by x = 0, which is always accepted and returns d.
    for (const [u, expected] of [
      [Math.exp(bound) * (1 - 1e-3), value],
      [Math.exp(bound) * (1 + 1e-3), d],
    ] as const) {
      const rng = new ScriptedRng([x, 0], [u, 0.5]);
      expect(sampleGamma(shape, rng), `u = ${u}`).toBeCloseTo(expected, 12);
      expect(rng.left(), `u = ${u}: draws left`).toBe(expected === value ? 2 : 0);
    }
  });

  it('skips a proposal with 1 + cx <= 0 without drawing its uniform', () => {
    // Gamma(2): c = 0.258199, so x = -4 gives 1 + cx = -0.0328.
    const rng = new ScriptedRng([-4, 0], [0.5]);
    expect(sampleGamma(2, rng)).toBeCloseTo(5 / 3, 15);
    expect(rng.left()).toBe(0);
  });

  it('Gamma(1) takes no boost: at x = 0 it returns d = 2/3 from one normal and one uniform', () => {
    // mixup's alpha = 1 (uniform lambda) samples here; the boost would give the same distribution
    // from one more uniform, shifting every later draw of a seeded run.
    const rng = new ScriptedRng([0], [0.5]);
    expect(sampleGamma(1, rng)).toBeCloseTo(2 / 3, 15);
    expect(rng.left()).toBe(0);
  });

  it('Gamma(0.5) is Gamma(1.5) times u^2 for a non-zero u drawn first, a zero u being drawn again', () => {
    // The boost draws u = 0 (redrawn), then u = 0.25; Gamma(1.5) at x = 0 returns d = 7/6.
    const rng = new ScriptedRng([0], [0, 0.25, 0.5]);
    expect(sampleGamma(0.5, rng)).toBeCloseTo((7 / 6) * 0.25 ** 2, 15);
    expect(rng.left()).toBe(0);
  });

  it('Gamma(0.25) is Gamma(1.25) times u^4', () => {
    const rng = new ScriptedRng([0], [0.5, 0.5]);
    expect(sampleGamma(0.25, rng)).toBeCloseTo((1.25 - 1 / 3) * 0.5 ** 4, 15);
  });
});
