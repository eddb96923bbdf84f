import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adapterFacts, vulkanDrivers } from './webgpu-adapter.js';

describe('adapterFacts', () => {
  it('tells software adapters (SwiftShader, lavapipe, fallback) from hardware ones', () => {
    const swiftshader = adapterFacts({
      info: {
        vendor: 'google',
        architecture: 'swiftshader',
        description: 'SwiftShader driver 5.0.0',
      },
    });
    expect(swiftshader).toEqual({
      vendor: 'google',
      architecture: 'swiftshader',
      description: 'SwiftShader driver 5.0.0',
      software: true,
    });
    expect(
      adapterFacts({ info: { vendor: 'mesa', description: 'llvmpipe (LLVM 15)' } }).software,
    ).toBe(true);
    expect(adapterFacts({ info: { vendor: 'x', isFallbackAdapter: true } }).software).toBe(true);
    const nvidia = adapterFacts({
      info: { vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200' },
    });
    expect(nvidia.software).toBe(false);
    expect(nvidia.description).toBe('NVIDIA H200');
  });
});

describe('vulkanDrivers', () => {
  it('reads the manifests VK_DRIVER_FILES names and marks the CPU emulations', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spred-icd-'));
    const nvidia = join(dir, 'nvidia_icd.json');
    const swift = join(dir, 'vk_swiftshader_icd.json');
    writeFileSync(nvidia, JSON.stringify({ ICD: { library_path: 'libGLX_nvidia.so.0' } }));
    writeFileSync(swift, JSON.stringify({ ICD: { library_path: './libvk_swiftshader.so' } }));
    const drivers = vulkanDrivers({
      VK_DRIVER_FILES: `${nvidia}:${swift}:${join(dir, 'missing.json')}`,
    });
    expect(drivers).toEqual([
      { manifest: nvidia, library: 'libGLX_nvidia.so.0', software: false },
      { manifest: swift, library: './libvk_swiftshader.so', software: true },
    ]);
  });
});
