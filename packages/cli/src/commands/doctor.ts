import { type BackendDiagnosis, diagnoseBackends } from '@convkit/core';
import { ConvkitCommand } from '../base-command.js';
import { renderTable } from '../format.js';

/** Result of `convkit doctor --json`. */
export interface DoctorReport {
  node: string;
  platform: string;
  tfjs: Record<string, string | null>;
  backends: BackendDiagnosis[];
  /** Backend a plain `initBackend()` would pick, with the CONVKIT_BACKEND / --backend override applied. */
  selected?: { backend: string; device: string };
  /** Why the requested backend cannot run, when one was requested. */
  error?: string;
}

/** `convkit doctor`: which compute backends are available here, and why not. */
export default class Doctor extends ConvkitCommand<typeof Doctor> {
  static override summary = 'Show which compute backends are available, their versions, and why one is not';
  static override description =
    'Checks every backend in the order convkit tries them (tensorflow-gpu, tensorflow, wasm, cpu), then activates the one a command would use. With CONVKIT_BACKEND or --backend set, a backend that cannot load is reported with the fix and a non-zero exit code.';
  static override examples = [
    '<%= config.bin %> doctor',
    '<%= config.bin %> doctor --json',
    'CONVKIT_BACKEND=tensorflow <%= config.bin %> doctor',
  ];

  async run(): Promise<DoctorReport> {
    const backends = await diagnoseBackends();
    const report: DoctorReport = {
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      tfjs: Object.fromEntries(backends.map((b) => [b.packageName, b.version ?? null])),
      backends,
    };
    if (!this.jsonEnabled()) {
      this.log(`node ${report.node} on ${report.platform}`);
      this.log(
        renderTable(
          backends,
          [
            { header: 'backend', value: (b) => b.backend },
            { header: 'status', value: (b) => (b.available ? 'available' : 'unavailable') },
            { header: 'version', value: (b) => b.version ?? '-' },
            { header: 'why not / fix', value: (b) => (b.available ? '' : `${b.reason}; fix: ${b.fix}`), wrap: true },
          ],
          process.stdout.columns ?? 100,
        ),
      );
    }
    const selected = await this.useBackend();
    report.selected = { backend: selected.backend, device: selected.device };
    return report;
  }
}
