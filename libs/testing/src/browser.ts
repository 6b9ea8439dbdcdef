// A real browser for UI tests: Debian's chromium from scripts/infra/chromium.sh (installed when missing),
// driven by playwright-core, which downloads no browser of its own.
import { infraScript } from './infra';

/** Makes sure chromium is installed and returns its path (/usr/bin/chromium). */
export function chromiumPath(): Promise<string> {
  return infraScript('chromium', 'install');
}
