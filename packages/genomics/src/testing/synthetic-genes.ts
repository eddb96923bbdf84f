import { boxMuller, mulberry32 } from '@spredjs/core';

/**
 * Synthetic expression data where only the first `informative` of `features` genes carry signal,
 * and a nonlinear one (XOR-like): in class 1 an informative gene is up (x ≈ +1.5) in 3 of 4
 * samples and down (x ≈ −1.5) in the others, in class 0 it sits at 0, with N(0, 0.5²) noise; so
 * class 0 lies between the two modes of class 1 and no linear rule separates them. Every other
 * gene is N(0, 1). Balanced classes, row-major values.
 */
export function xorLikeGenes(
  samples: number,
  features: number,
  informative: number,
  seed: number,
): { values: Float32Array; labels: Int32Array } {
  const random = mulberry32(seed);
  const normal = boxMuller(random);
  const values = new Float32Array(samples * features);
  const labels = new Int32Array(samples);
  for (let i = 0; i < samples; i++) {
    const label = i % 2;
    labels[i] = label;
    for (let j = 0; j < features; j++) {
      const sign = random() < 0.25 ? -1 : 1;
      values[i * features + j] = j < informative ? label * sign * 1.5 + 0.5 * normal() : normal();
    }
  }
  return { values, labels };
}
