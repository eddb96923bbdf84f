/**
 * tfjs-core's Node bundle registers no gradient functions (`tf.grad` fails with "gradient function
 * not found for Add"); the union package `@tensorflow/tfjs` registers all of them, into the same
 * engine when both resolve to one tfjs-core copy.
 */
export async function registerGradients(): Promise<void> {
  await import('@tensorflow/tfjs');
}
