import { type SweepReport, sweepReport } from '@convkit/sweep';
import { Flags } from '@oclif/core';
import { ConvkitCommand } from '../../base-command.js';
import { sweepCounts, sweepTable } from '../../sweep-table.js';

/** `convkit sweep status`: how the trials of a sweep stand, ranked, with the reasons of failed ones. */
export default class SweepStatus extends ConvkitCommand<typeof SweepStatus> {
  static override summary =
    'Show how the trials of a sweep stand: ranked by its metric, running ones at their epoch, failed ones with their reason';
  static override description =
    'Reads the sweep folder (shared by the workers of a distributed sweep): a trial is done when its summary.json exists, failed when failure.json says why, running while an attempt has started.';
  static override examples = [
    '<%= config.bin %> sweep status --out runs/sweep-lr',
    '<%= config.bin %> sweep status --out runs/sweep-lr --json',
  ];
  static override flags = {
    out: Flags.string({ description: 'the sweep folder (the --out of `convkit sweep`)', required: true }),
  };

  async run(): Promise<SweepReport> {
    const report = await sweepReport(this.flags.out);
    if (!this.jsonEnabled()) {
      this.log(sweepTable(report));
      this.log(`${sweepCounts(report)}; ranked by ${report.metric}`);
    }
    return report;
  }
}
