import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

const REPO = join(import.meta.dirname, '..', '..', '..', '..');
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/**
 * The system Chromium (Debian's `chromium`), installed through apt by `scripts/provision-chromium`
 * when missing; never a browser download (playwright's own browsers come from a host outside the
 * package registries).
 */
export function chromiumPath(): string {
  const found = process.env.CONVKIT_CHROMIUM ?? CANDIDATES.find((p) => existsSync(p));
  if (found) return found;
  execFileSync('bash', [join(REPO, 'scripts', 'provision-chromium')], { stdio: 'inherit' });
  const installed = CANDIDATES.find((p) => existsSync(p));
  if (!installed) throw new Error("scripts/provision-chromium ran but no chromium is on this machine; install Debian's chromium package");
  return installed;
}

/** Headless Chromium as the end-to-end tests drive it; `--no-sandbox` because CI runs as root. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--enable-unsafe-swiftshader', '--use-angle=swiftshader', '--ignore-gpu-blocklist'],
  });
}
