// Fails early, with the fix, when the Chromium that Playwright drives is missing.
import { accessSync, constants } from 'node:fs';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
try {
  accessSync(path, constants.X_OK);
} catch {
  console.error(
    `Chromium was not found at ${path}.\n` +
      'The end-to-end tests drive Debian\'s Chromium (Playwright cannot download browsers here). Install it with:\n\n' +
      '    sudo apt-get install -y chromium\n\n' +
      'or point CHROMIUM_PATH at another Chromium or Chrome binary.',
  );
  process.exit(1);
}
