// Every workspace package must list what its code imports: production code (src/**/*.ts except
// tests) in dependencies or peerDependencies, test code also in devDependencies. Otherwise a user
// who installs only that package gets "Cannot find module". Node built-ins are exempt.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

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
  for (const name of readdirSync(group)) {
    const root = join(group, name);
    if (!existsSync(join(root, 'package.json')) || !existsSync(join(root, 'src'))) continue;
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const runtime = new Set([
      ...Object.keys(pkg.dependencies ?? {}),
      ...Object.keys(pkg.peerDependencies ?? {}),
    ]);
    const all = new Set([...runtime, ...Object.keys(pkg.devDependencies ?? {}), 'vitest']);
    for (const file of files(join(root, 'src'))) {
      const isTest = /\.test\.ts$/.test(file) || file.includes('/testing/');
      const text = readFileSync(file, 'utf8');
      const statements = [
        ...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s*['"]([^'"]+)['"]/gm), // import … from 'x', export … from 'x'
        ...text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm), // import 'x' (side effects)
        ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g), // import('x')
      ];
      for (const match of statements) {
        const specifier = match[1];
        if (specifier.startsWith('.')) continue;
        if (builtins.has(specifier) || builtins.has(specifier.split('/')[0])) continue;
        const dep = packageOf(specifier);
        if (!(isTest ? all : runtime).has(dep))
          problems.push(
            `${file}: imports '${dep}', which ${pkg.name}'s package.json does not list${isTest ? '' : ' in dependencies or peerDependencies'}`,
          );
      }
    }
  }
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('check-deps: every package lists what it imports');
