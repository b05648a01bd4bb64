/**
 * Model weights in Hugging Face's safetensors format, for the model loader: {@code SafeTensors}
 * (one file: checked header, tensors memory-mapped on demand and converted to {@code float[]} or
 * {@code long[]}), {@code Checkpoint} (a model folder: {@code model.safetensors} or shards through
 * {@code model.safetensors.index.json}), {@code SafeTensorsWriter} (atomic writes from floats, for
 * tests and users), the header's {@code TensorInfo} and {@code DType}, the half-precision
 * conversions {@code Float16} and {@code BFloat16}, and {@code WeightsException}, the one error of
 * the package, whose message names the file and the tensor.
 *
 * <p>Files are treated as hostile: every number of a header is checked before it is used, so a
 * malformed or malicious file fails with a {@code WeightsException}, never an unrelated exception
 * or an allocation sized by the file. Imports nothing of attnc; JSON through Gson.
 */
package dev.attnc.runtime.weights;
