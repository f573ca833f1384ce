import type { InspectionName, InspectOptions } from '@convkit/inspect';
import { kinds } from '@convkit/train';
import { numberFlag } from '../../flags.js';
import { InspectCommand, type InspectJson, inspectFlags } from '../../inspect-command.js';

/** `convkit inspect frequency`: the filters' magnitude spectra. */
export default class InspectFrequency extends InspectCommand<typeof InspectFrequency> {
  static override summary =
    "Draw the frequency response of a convolution's filters (zero-padded FFT magnitudes) and check the convolution theorem on one";
  static override description =
    'Each filter is zero-padded to --size and transformed (tfjs FFT where the backend has it, else the direct DFT); the spectra are centred on frequency zero. A smoothing filter is bright in the middle, an edge detector dark there.';
  static override examples = ['<%= config.bin %> inspect frequency --model runs/fmnist --out runs/fmnist/inspect --size 64'];
  static override flags = {
    ...inspectFlags,
    size: numberFlag({ description: 'side of the zero-padded FFT', kind: kinds.positiveInteger(), default: 32 }),
  };
  protected readonly inspection: InspectionName = 'frequency';

  protected override extraOptions(): Partial<InspectOptions> {
    return { size: this.flags.size };
  }

  protected headline(result: InspectJson): string[] {
    const data = result.data as {
      engine: string;
      filters: { dc: number; meanFrequency: number }[];
      convolutionTheorem: { maxAbsError: number };
    };
    const lows = data.filters.filter((f) => f.meanFrequency < 0.25).length;
    return [
      `${data.filters.length} filters: ${lows} mostly low-frequency (mean frequency < 0.25 cycles/pixel), ${data.filters.length - lows} higher (${data.engine})`,
      `convolution theorem on filter 0: max |spatial - IFFT(FFT x FFT)| = ${data.convolutionTheorem.maxAbsError.toExponential(2)}`,
    ];
  }
}
