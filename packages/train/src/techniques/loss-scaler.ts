import { ConvkitError } from '@convkit/core';

/** What a resumed run needs of a {@link DynamicLossScaler}: its scale and its count of finite steps since the last change. */
export interface LossScalerState {
  scale: number;
  goodSteps: number;
  /** Steps skipped so far because a gradient overflowed. */
  skippedSteps: number;
}

function isLossScalerState(value: unknown): value is LossScalerState {
  const v = value as Partial<LossScalerState> | null;
  const count = (n: unknown) => Number.isInteger(n) && (n as number) >= 0;
  return typeof v?.scale === 'number' && Number.isFinite(v.scale) && v.scale > 0 && count(v.goodSteps) && count(v.skippedSteps);
}

/** The knobs of dynamic loss scaling; the defaults are PyTorch's `GradScaler`'s. */
export interface LossScalerOptions {
  /** Scale of the first step. Default 2^16. */
  initialScale?: number;
  /** Finite steps in a row after which the scale grows. Default 2,000. */
  growthInterval?: number;
  /** Factor of each growth. Default 2. */
  growthFactor?: number;
  /** Factor applied when a gradient overflows. Default 0.5. */
  backoffFactor?: number;
}

/**
 * Dynamic loss scaling (Micikevicius et al. 2018, "Mixed Precision Training"; PyTorch's GradScaler):
 * the loss is multiplied by `scale` before the backward pass so that small gradients stay above
 * float16's underflow, and the gradients are divided by it before the update. A step whose gradients
 * hold an inf or NaN is not applied and halves the scale; `growthInterval` finite steps in a row double it.
 */
export class DynamicLossScaler {
  private state: LossScalerState;
  private readonly growthInterval: number;
  private readonly growthFactor: number;
  private readonly backoffFactor: number;

  constructor(options: LossScalerOptions = {}, state?: LossScalerState) {
    this.growthInterval = options.growthInterval ?? 2000;
    this.growthFactor = options.growthFactor ?? 2;
    this.backoffFactor = options.backoffFactor ?? 0.5;
    const initialScale = options.initialScale ?? 2 ** 16;
    if (!(initialScale > 0) || !(this.growthFactor > 1) || !(this.backoffFactor > 0 && this.backoffFactor < 1)) {
      throw new ConvkitError(
        'bad-option',
        `loss scaling needs initialScale > 0, growthFactor > 1 and 0 < backoffFactor < 1; got ${initialScale}, ${this.growthFactor}, ${this.backoffFactor}`,
      );
    }
    if (state !== undefined && !isLossScalerState(state)) {
      throw new ConvkitError(
        'corrupted-checkpoint',
        `the checkpoint's loss-scale state ${JSON.stringify(state)} is not {scale > 0, goodSteps >= 0, skippedSteps >= 0}; resume from an intact checkpoint or start a new run`,
      );
    }
    this.state = state ? { ...state } : { scale: initialScale, goodSteps: 0, skippedSteps: 0 };
  }

  /** The factor the next step's loss is multiplied by. */
  get scale(): number {
    return this.state.scale;
  }

  /** Records one step's outcome and returns whether its update may be applied (its gradients were finite). */
  update(finite: boolean): boolean {
    if (!finite) {
      this.state = { scale: this.state.scale * this.backoffFactor, goodSteps: 0, skippedSteps: this.state.skippedSteps + 1 };
      return false;
    }
    const goodSteps = this.state.goodSteps + 1;
    this.state =
      goodSteps >= this.growthInterval
        ? { ...this.state, scale: this.state.scale * this.growthFactor, goodSteps: 0 }
        : { ...this.state, goodSteps };
    return true;
  }

  /** A copy of the state, for checkpoints. */
  getState(): LossScalerState {
    return { ...this.state };
  }
}

/** The run's loss scaler for its `lossScale` option (`dynamic`, else none), continuing from a checkpoint's `state`. */
export function lossScalerFor(lossScale: string | null | undefined, state?: LossScalerState): DynamicLossScaler | undefined {
  return lossScale === 'dynamic' ? new DynamicLossScaler({}, state) : undefined;
}
