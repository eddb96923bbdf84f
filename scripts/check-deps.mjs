// Two checks over every workspace package's src, run as `node scripts/check-deps.mjs [root]`.
//
// 1. Every package lists what its code imports: production code (src/**/*.ts except tests) in
//    dependencies or peerDependencies, test code also in devDependencies. Otherwise a user who
//    installs only that package gets "Cannot find module". Node built-ins are exempt.
// 2. Imports point down the package graph (docs/architecture.md): a package imports only packages
//    of a lower layer, by name (no relative path out of its folder), and a library's production
//    code never imports @spredjs/runtime (only apps, tests, testing/ fixtures and vitest set-ups
//    choose a tfjs backend).
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = process.argv[2] ?? '.';

/**
 * The layer of every workspace package: an import must go to a strictly lower layer. A new
 * package is placed here and in docs/architecture.md before the check lets it in.
 */
const LAYERS = {
  '@spredjs/core': 0,
  '@spredjs/io': 0, // Node-only text and gzip reading, beside core
  '@spredjs/runtime': 0, // the one backend chooser; only apps and test set-ups import it
  '@spredjs/optim': 1,
  '@spredjs/layers': 2, // tfjs-layers wrappers over core, certified by optim's polish
  '@spredjs/solvers': 2,
  '@spredjs/genomics': 3,
  '@spredjs/vision': 3,
  '@spredjs/cli': 4,
  '@spredjs/web': 4, // the browser example page (private); imports core and layers only
  '@spredjs/bench': 5, // runs the CLI's problems beside its own
  '@spredjs/docs': 5, // runs every code block of the docs (private)
};
const RUNTIME = '@spredjs/runtime';
/**
 * Files allowed to break the layering while a move is under way, each with its reason. Keep it
 * empty; an entry names one file and the issue that removes it.
 */
const KNOWN_EXCEPTIONS = new Map([]);

const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const problems = [];

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

for (const group of ['packages', 'apps']) {
  if (!existsSync(join(root, group))) continue;
  for (const name of readdirSync(join(root, group))) {
    const dir = join(root, group, name);
    if (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'src'))) continue;
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const isLibrary = group === 'packages';
    const layer = LAYERS[pkg.name];
    if (layer === undefined)
      problems.push(
        `${group}/${name}: ${pkg.name} has no layer; add it to LAYERS in scripts/check-deps.mjs and to docs/architecture.md`,
      );
    const runtime = new Set([
      ...Object.keys(pkg.dependencies ?? {}),
      ...Object.keys(pkg.peerDependencies ?? {}),
    ]);
    const all = new Set([...runtime, ...Object.keys(pkg.devDependencies ?? {}), 'vitest']);
    for (const path of files(join(dir, 'src'))) {
      const file = relative(root, path);
      const isTest =
        /\.test\.ts$/.test(file) || file.includes('/testing/') || /vitest-setup\.ts$/.test(file);
      const text = readFileSync(path, 'utf8');
      const statements = [
        // import … from 'x', export … from 'x' (a specifier has no spaces: prose such as
        // "… to choose from');" in a string is not an import)
        ...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s*['"]([^'"\s]+)['"]/gm),
        ...text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm), // import 'x' (side effects)
        ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g), // import('x')
      ];
      for (const match of statements) {
        const specifier = match[1];
        if (specifier.startsWith('.')) {
          // A relative path out of the package would import another package behind both checks.
          const target = resolve(dirname(path), specifier);
          if (!target.startsWith(resolve(dir) + sep))
            problems.push(
              `${file}: imports '${specifier}', outside ${pkg.name}; import the package by its name`,
            );
          continue;
        }
        if (builtins.has(specifier) || builtins.has(specifier.split('/')[0])) continue;
        const dep = packageOf(specifier);
        if (!(isTest ? all : runtime).has(dep))
          problems.push(
            `${file}: imports '${dep}', which ${pkg.name}'s package.json does not list${isTest ? '' : ' in dependencies or peerDependencies'}`,
          );
        if (!dep.startsWith('@spredjs/') || dep === pkg.name || KNOWN_EXCEPTIONS.has(file)) continue;
        if (dep === RUNTIME && isLibrary && pkg.name !== RUNTIME && !isTest)
          problems.push(
            `${file}: imports '${RUNTIME}', but a library never chooses a tfjs backend (only apps, tests and vitest set-ups do)`,
          );
        else if (layer !== undefined && !(LAYERS[dep] < layer))
          problems.push(
            `${file}: imports '${dep}' (layer ${LAYERS[dep] ?? 'unknown'}) from ${pkg.name} (layer ${layer}); imports must point down the package graph`,
          );
      }
    }
  }
}
for (const [file, reason] of KNOWN_EXCEPTIONS)
  console.warn(`check-deps: known exception ${file}: ${reason}`);
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('check-deps: every package lists what it imports, and imports point down the graph');
