import { ConvkitError } from '@convkit/core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** Class name of convkit's drop-path layer (`@convkit/layers`' `DropPath`); matched by name so train keeps to core. */
const DROP_PATH = 'convkit.DropPath';

/** What the schedule needs of a drop-path layer: its drop rate, read at every training call. */
interface RateLayer {
  rate: number;
}

/**
 * The drop-path (stochastic depth) rate of a run over depth and epochs. The architecture builds its
 * drop-path layers with timm's linear rule over depth (block `i` of `n` at `rate * i / (n - 1)`, from
 * its `dropPath` option); this schedule then scales every layer's rate linearly over epochs, by
 * `epoch / epochs` in the 1-based epoch (as NASNet's ScheduledDropPath ramps up over training), so
 * the last epoch trains at the full rate and early epochs, when the network is still far from fitting,
 * are regularised least.
 */
export class DropPathSchedule {
  private readonly layers: RateLayer[];
  private readonly depthRates: number[];

  /** Finds the model's drop-path layers; a model without any cannot take `--drop-path`. */
  constructor(model: LayersModel, arch: string) {
    this.layers = model.layers.filter((layer) => layer.getClassName() === DROP_PATH) as unknown as RateLayer[];
    if (this.layers.length === 0) {
      throw new ConvkitError(
        'bad-option',
        `${arch} built no drop-path layers from --drop-path; its builder ignores its dropPath option, so drop --drop-path or choose a residual architecture such as resnet20`,
      );
    }
    this.depthRates = this.layers.map((layer) => layer.rate);
  }

  /** Rates of the drop-path layers in model order, as built (the full rates over depth). */
  get rates(): readonly number[] {
    return this.depthRates;
  }

  /** Sets every layer's rate for 1-based `epoch` of `epochs`. */
  setEpoch(epoch: number, epochs: number): void {
    const factor = Math.min(1, epoch / epochs);
    this.layers.forEach((layer, i) => {
      layer.rate = (this.depthRates[i] as number) * factor;
    });
  }
}
