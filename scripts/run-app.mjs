// `node scripts/run-app.mjs <app> [args…]` (the root `spred`, `demo` and `bench` scripts): runs
// apps/<app>/dist/main.js with `args` in this process, after building the app and the workspace
// packages it depends on, but only if one of their sources is newer than the last build. When
// nothing changed, that check is a stat of a few hundred files (a few ms) and nothing is printed
// but the app's own output; a build that is needed says so in one line on stderr (the first one
// takes about a minute) and prints turbo's log only if it fails, with the build's exit code.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Files outside the packages that every build reads. */
const SHARED_INPUTS = ['tsconfig.base.json', 'pnpm-lock.yaml'];

const [app, ...args] = process.argv.slice(2);
const appDir = join(root, 'apps', app ?? '');
if (app === undefined || !existsSync(join(appDir, 'package.json'))) {
  const apps = readdirSync(join(root, 'apps')).filter((a) =>
    existsSync(join(root, 'apps', a, 'package.json')),
  );
  process.stderr.write(`usage: node scripts/run-app.mjs <${apps.join('|')}> [args…]\n`);
  process.exit(2);
}

const readPackage = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

/** Every workspace package by name: its folder and its package.json. */
function workspacePackages() {
  const packages = new Map();
  for (const group of ['packages', 'apps'])
    for (const name of readdirSync(join(root, group))) {
      const dir = join(root, group, name);
      if (existsSync(join(dir, 'package.json'))) packages.set(readPackage(dir).name, dir);
    }
  return packages;
}

/** The folders of `name` and of the workspace packages it depends on, directly or not. */
function buildClosure(name, packages, seen = new Map()) {
  const dir = packages.get(name);
  if (dir === undefined || seen.has(name)) return seen;
  seen.set(name, dir);
  const pkg = readPackage(dir);
  for (const [dep, range] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies }))
    if (String(range).startsWith('workspace:')) buildClosure(dep, packages, seen);
  return seen;
}

const mtime = (path) => (existsSync(path) ? statSync(path).mtimeMs : 0);

function newestFile(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestFile(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** The newest of a package's build inputs (turbo.json's `build.inputs`: src/**, tsconfig*.json, package.json). */
function newestInput(dir) {
  const configs = readdirSync(dir).filter(
    (f) => /^tsconfig.*\.json$/.test(f) || f === 'package.json',
  );
  const sources = existsSync(join(dir, 'src')) ? newestFile(join(dir, 'src')) : 0;
  return Math.max(sources, ...configs.map((f) => mtime(join(dir, f))));
}

const appPackage = readPackage(appDir);
const main = join(appDir, 'dist', 'main.js');
// When this script built last: a turbo cache hit may leave outputs untouched that are older than
// an input touched without a change (a checkout), and this stamp still says they are current.
const stamp = join(root, 'node_modules', '.cache', 'run-app', `${app}.stamp`);

function isStale() {
  if (!existsSync(main)) return true;
  const built = mtime(stamp);
  const shared = Math.max(...SHARED_INPUTS.map((f) => mtime(join(root, f))));
  for (const dir of buildClosure(appPackage.name, workspacePackages()).values()) {
    if (readPackage(dir).scripts?.build === undefined) continue;
    const output = Math.max(built, mtime(join(dir, 'tsconfig.tsbuildinfo')));
    if (!existsSync(join(dir, 'dist')) || Math.max(shared, newestInput(dir)) > output) return true;
  }
  return false;
}

if (isStale()) {
  const started = new Date();
  process.stderr.write(
    `building ${appPackage.name} and the packages it uses (the first build takes about a minute)…\n`,
  );
  const turbo = join(root, 'node_modules', 'turbo', 'bin', 'turbo');
  const build = spawnSync(
    process.execPath,
    [turbo, 'run', 'build', `--filter=${appPackage.name}...`, '--output-logs=errors-only'],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
  );
  if (build.status !== 0) {
    process.stderr.write(`${build.stdout ?? ''}${build.stderr ?? ''}`);
    if (build.error !== undefined) process.stderr.write(`${build.error.message}\n`);
    process.stderr.write(`run-app: building ${appPackage.name} failed\n`);
    process.exit(build.status ?? 1);
  }
  mkdirSync(join(stamp, '..'), { recursive: true });
  writeFileSync(stamp, '');
  // Stamped with the start of the build, so a source saved while it ran is built next time.
  utimesSync(stamp, started, started);
}

// The app reads its arguments from process.argv, as if it had been started as `node main.js …`.
process.argv = [process.argv[0], main, ...args];
await import(pathToFileURL(main).href);
