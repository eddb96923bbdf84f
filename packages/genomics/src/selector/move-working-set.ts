import * as tf from '@tensorflow/tfjs-core';
import { GroupedOptimizer } from '@spredjs/optim';
import type { GeneNetwork } from './gene-network.js';
import { remapRows } from './working-set.js';

/**
 * Narrows or widens the network's working set and carries Adam's state over: held genes keep their
 * moments, entering genes start with zero moments; the other layers' state is untouched. Returns
 * the optimizer of the new parameter set (the first group holds the new first layer) and disposes
 * `optimizer`.
 *
 * @example
 * ```ts
 * optimizer = await moveWorkingSet(network, optimizer, stay); // genes `stay` only, from now on
 * ```
 */
export async function moveWorkingSet(
  network: GeneNetwork,
  optimizer: GroupedOptimizer,
  genes: Int32Array,
  entering?: tf.Tensor2D,
): Promise<GroupedOptimizer> {
  const before = network.activeGenes;
  const state = await optimizer.getState();
  const firstGroup = (state.groups[0] ?? []).map(({ name, tensor }) => {
    const remapped =
      tensor.rank > 0 && tensor.shape[0] === before.length
        ? remapRows(tensor, before, genes)
        : tf.clone(tensor);
    return { name, tensor: remapped };
  });
  network.setActiveGenes(genes, entering);
  const next = new GroupedOptimizer(
    optimizer.spec,
    optimizer.groups.map((g, i) =>
      i === 0 ? { ...g, variables: network.firstLayerVariables } : g,
    ),
  );
  try {
    await next.setState({ ...state, groups: [firstGroup, ...state.groups.slice(1)] });
  } finally {
    tf.dispose([...state.groups.flat(), ...firstGroup].map((w) => w.tensor));
  }
  optimizer.dispose();
  return next;
}
