/**
 * Accuracy (arg-max class, ties to the lower class) and mean cross-entropy (probabilities floored
 * at 1e-12) of class probabilities `p`, row-major [labels.length, classes]: how every method of
 * the protocol is scored on dev and test samples. Zero samples score 0 and 0.
 *
 * @example
 * ```ts
 * scoreProbabilities([0.9, 0.1, 0.2, 0.8], Int32Array.of(0, 1), 2); // { accuracy: 1, loss: 0.16… }
 * ```
 */
export function scoreProbabilities(
  p: ArrayLike<number>,
  labels: Int32Array,
  classes: number,
): { accuracy: number; loss: number } {
  let correct = 0;
  let loss = 0;
  labels.forEach((label, i) => {
    let best = 0;
    for (let c = 1; c < classes; c++)
      if ((p[i * classes + c] as number) > (p[i * classes + best] as number)) best = c;
    if (best === label) correct++;
    loss -= Math.log(Math.max(p[i * classes + label] as number, 1e-12));
  });
  const n = labels.length;
  return { accuracy: n === 0 ? 0 : correct / n, loss: n === 0 ? 0 : loss / n };
}
