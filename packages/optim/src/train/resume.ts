import * as tf from '@tensorflow/tfjs-core';
import { SpredInputError } from '@spredjs/core';
import type { GroupedOptimizer } from '../optimizers/grouped-optimizer.js';
import type { LearningRateSchedule } from '../schedules/learning-rate-schedule.js';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import type { EpochRecord, StopMonitor } from './monitors.js';

/** The loop's own state between epochs: what a checkpoint keeps besides variables and optimizer. */
export interface LoopState {
  /** Epochs completed. */
  epoch: number;
  history: EpochRecord[];
  bestValidation: number | undefined;
  bestEpoch: number | undefined;
  /** Copies of the variables at the best validation epoch (owned by the loop). */
  bestWeights: tf.Tensor[] | undefined;
  badEpochs: number;
}

/** Where a run picks up: its resumed state, and the epoch it resumed after. */
export interface Resumed {
  readonly state: LoopState;
  readonly resumedFrom: number;
}

/** What {@link resumeFrom} and {@link saveLoopCheckpoint} act on. */
export interface CheckpointedParts {
  readonly optimizer: GroupedOptimizer;
  readonly schedule: LearningRateSchedule | undefined;
  /** The convergence monitor (its count is stored as `convergedEpochs`), then the caller's monitors. */
  readonly convergence: StopMonitor | undefined;
  readonly monitors: readonly StopMonitor[];
}

/**
 * Loads the checkpoint in `dir` into the optimizer's variables, its state, the schedule and the
 * monitors, and returns the loop state to continue from; undefined when `dir` has no checkpoint.
 */
export async function resumeFrom(
  dir: string,
  parts: CheckpointedParts,
): Promise<Resumed | undefined> {
  const saved = loadCheckpoint(dir);
  if (saved === undefined) return undefined;
  const variables = parts.optimizer.variables;
  const restored = saved.groups;
  const vars = restored['variables'] ?? [];
  if (
    vars.length !== variables.length ||
    vars.some((t, i) => t.shape.join() !== variables[i]!.shape.join())
  ) {
    tf.dispose(Object.values(restored).flat());
    throw new SpredInputError(`${dir}: the checkpoint's variables do not match this model's`);
  }
  vars.forEach((t, i) => variables[i]!.assign(t));
  const groupsState = (saved.meta['optimizerGroups'] as number[]).map((count, g, counts) => {
    const begin = counts.slice(0, g).reduce((a, b) => a + b, 0);
    const names = (saved.meta['optimizerNames'] as string[]).slice(begin, begin + count);
    return (restored['optimizer'] ?? [])
      .slice(begin, begin + count)
      .map((tensor, k) => ({ name: names[k] as string, tensor }));
  });
  await parts.optimizer.setState({
    learningRateScale: saved.meta['learningRateScale'] as number,
    groups: groupsState,
  });
  parts.schedule?.restore?.(saved.meta['schedule'] as Record<string, number>);
  parts.convergence?.restore?.(saved.meta['convergedEpochs']);
  const monitorStates = saved.meta['monitors'] as unknown[] | undefined;
  parts.monitors.forEach((m, i) => m.restore?.(monitorStates?.[i]));
  const best = restored['best'];
  tf.dispose([...vars, ...(restored['optimizer'] ?? [])]);
  return {
    state: {
      epoch: saved.meta.epoch,
      history: saved.meta['history'] as EpochRecord[],
      bestValidation: saved.meta['bestValidation'] as number | undefined,
      bestEpoch: saved.meta['bestEpoch'] as number | undefined,
      bestWeights: best !== undefined && best.length > 0 ? best : undefined,
      badEpochs: saved.meta['badEpochs'] as number,
    },
    resumedFrom: saved.meta.epoch,
  };
}

/** Writes the loop state, the variables, the optimizer's state, the schedule and the monitors to `dir`. */
export async function saveLoopCheckpoint(
  dir: string,
  state: LoopState,
  parts: CheckpointedParts,
): Promise<void> {
  const optimizerState = await parts.optimizer.getState();
  const optimizerTensors = optimizerState.groups.flatMap((g) => g.map((w) => w.tensor));
  try {
    saveCheckpoint(
      dir,
      {
        version: 1,
        epoch: state.epoch,
        history: state.history,
        ...(state.bestValidation === undefined
          ? {}
          : { bestValidation: state.bestValidation, bestEpoch: state.bestEpoch }),
        badEpochs: state.badEpochs,
        convergedEpochs: parts.convergence?.state?.() ?? 0,
        ...(parts.monitors.length === 0
          ? {}
          : { monitors: parts.monitors.map((m) => m.state?.() ?? null) }),
        learningRateScale: optimizerState.learningRateScale,
        optimizerGroups: optimizerState.groups.map((g) => g.length),
        optimizerNames: optimizerState.groups.flatMap((g) => g.map((w) => w.name)),
        schedule: parts.schedule?.state?.() ?? {},
      },
      {
        variables: parts.optimizer.variables,
        optimizer: optimizerTensors,
        best: state.bestWeights ?? [],
      },
    );
  } finally {
    tf.dispose(optimizerTensors);
  }
}
