import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type Conv2DBackpropFilterAttrs = {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
};

function wasmKernel(name: string): tf.KernelFunc {
  const config = tf.getKernel(name, 'wasm');
  if (config === undefined) throw new Error(`wasm backend has no '${name}' kernel`);
  return config.kernelFunc;
}

function run(
  name: string,
  backend: BackendWasm,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap,
): tf.TensorInfo {
  return wasmKernel(name)({ inputs, backend, attrs }) as tf.TensorInfo;
}

/**
 * The filter gradient of a 2-D convolution, which the wasm backend lacks. With x: [B,H,W,C] and the
 * output gradient dy: [B,oh,ow,O], dW[i,j,c,o] = Σ_{b,y,x} x_pad[b, y·s+i, x·s+j, c]·dy[b,y,x,o]:
 * a convolution of xᵀ = [C,H,W,B] with the filter dyᵀ = [oh,ow,B,O] dilated by the forward stride,
 * padded so that its output is [C,kh,kw,O], then transposed to [kh,kw,C,O].
 */
export const conv2dBackpropFilterWasm: tf.KernelFunc = (args) => {
  const backend = args.backend as BackendWasm;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
  if (attrs.dataFormat === 'NCHW') {
    throw new Error('Conv2DBackpropFilter on wasm supports NHWC only');
  }
  const [kh, kw] = attrs.filterShape;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const H = info.inHeight;
  const W = info.inWidth;
  const { top, left } = info.padInfo;
  let bottom = kh + info.strideHeight * (info.outHeight - 1) - H - top;
  let right = kw + info.strideWidth * (info.outWidth - 1) - W - left;

  const temporaries: tf.TensorInfo[] = [];
  let xT = run('Transpose', backend, { x }, { perm: [3, 1, 2, 0] });
  temporaries.push(xT);
  if (bottom < 0 || right < 0) {
    // Rows and columns the forward pass never read (valid padding with a stride remainder).
    const keepH = H + Math.min(bottom, 0);
    const keepW = W + Math.min(right, 0);
    xT = run('Slice', backend, { x: xT }, { begin: [0, 0, 0, 0], size: [-1, keepH, keepW, -1] });
    temporaries.push(xT);
    bottom = Math.max(bottom, 0);
    right = Math.max(right, 0);
  }
  const dyT = run('Transpose', backend, { x: dy }, { perm: [1, 2, 0, 3] });
  temporaries.push(dyT);
  const explicitPad: tf.backend_util.ExplicitPadding = [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
  const conv = run('Conv2D', backend, { x: xT, filter: dyT }, {
    strides: [1, 1],
    pad: explicitPad,
    dataFormat: 'NHWC',
    dilations: [info.strideHeight, info.strideWidth],
    dimRoundingMode: 'floor',
  } as unknown as tf.NamedAttrMap);
  temporaries.push(conv);
  const result = run('Transpose', backend, { x: conv }, { perm: [1, 2, 0, 3] });
  for (const t of temporaries) backend.disposeData(t.dataId);
  return result;
};
