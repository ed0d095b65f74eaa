import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

/**
 * The programs the integration, e2e and browser tests run, with the Debian package that
 * brings each: the PDF verifiers an auditor would use, the QR reader, and Chromium (a
 * downloaded browser cannot run on this project's machines).
 */
const TOOLS: readonly { readonly check: string; readonly pkg: string }[] = [
  { check: 'pdfsig', pkg: 'poppler-utils' },
  { check: 'pdftotext', pkg: 'poppler-utils' },
  { check: 'pdftoppm', pkg: 'poppler-utils' },
  { check: 'qpdf', pkg: 'qpdf' },
  { check: 'mutool', pkg: 'mupdf-tools' },
  { check: 'zbarimg', pkg: 'zbar-tools' },
  { check: '/usr/bin/chromium', pkg: 'chromium' },
  { check: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', pkg: 'fonts-dejavu-core' },
  // The load balancer in front of two instances (multi-instance.e2e-spec).
  { check: '/usr/sbin/nginx', pkg: 'nginx-light' },
  // pg_dump and pg_restore, for `attest backup` and `attest restore` on PostgreSQL.
  { check: 'pg_dump', pkg: 'postgresql-client' },
];

function present(check: string): boolean {
  if (check.startsWith('/')) return existsSync(check);
  return spawnSync('sh', ['-c', `command -v ${check}`], { stdio: 'ignore' }).status === 0;
}

function run(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.status === 0;
}

/**
 * Before any test: installs the missing packages where it can (as root, with apt-get), or stops
 * at once naming the command to run, so a missing tool is never a cryptic assertion later.
 */
// oxlint-disable-next-line import/no-default-export -- Jest loads globalSetup by its default export
export default function globalSetup(): void {
  ensureSystemTools();
  buildIfStale();
}

function ensureSystemTools(): void {
  const missing = [...new Set(TOOLS.filter((t) => !present(t.check)).map((t) => t.pkg))];
  if (missing.length === 0) return;
  const canInstall = process.getuid?.() === 0 && present('apt-get');
  if (canInstall) {
    process.stdout.write(`\nInstalling the test tools this machine lacks: ${missing.join(' ')}\n`);
    if (run('apt-get', ['update', '-qq']) && run('apt-get', ['install', '-y', '-qq', ...missing])) {
      const still = TOOLS.filter((t) => !present(t.check)).map((t) => t.pkg);
      if (still.length === 0) return;
    }
  }
  throw new Error(
    `The tests need programs this machine lacks (${missing.join(', ')}). Install them with:\n` +
      `  sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}\n` +
      'then run npm test again.',
  );
}

/** The newest modification time of any file under `dir`. */
function newestIn(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

/**
 * Builds dist/ once before the tests that start the app as a process (`npm start` without its
 * build, several instances at once), when any source is newer than the last build. Built here,
 * not by each of them: `nest build` empties dist/ first, which would pull the program from
 * under a process another test worker had started.
 */
function buildIfStale(): void {
  const built = join(ROOT, 'dist', 'main.js');
  if (existsSync(built) && statSync(built).mtimeMs > newestIn(join(ROOT, 'src'))) return;
  process.stdout.write('\nBuilding dist/ for the tests that start the app as a process\n');
  const result = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  // Only the specs that start dist/main.js need it; they fail on their own without it, while
  // the rest of a run (say, one unit spec while another file is mid-edit) need not.
  if (result.status !== 0)
    process.stdout.write('\nnpm run build failed (see above): specs that start dist/ will fail.\n');
}
