/**
 * @convkit/interop: safetensors files, PyTorch state_dict import into registered architectures, and
 * model export to ONNX and compact tfjs.
 * @packageDocumentation
 */

export { EXPORT_FORMATS, type ExportFormat, type ExportModelOptions, type ExportModelResult, exportModel } from './export/export-model.js';
export type { ExportContext, LayerExporter, LayerWeight } from './onnx/export-context.js';
export { type ExportOnnxOptions, exportOnnx, ONNX_EXPORTERS, ONNX_OPSET, type OnnxExport } from './onnx/export-onnx.js';
export {
  decodeToFloat32,
  encodeFromFloat32,
  isSafetensorsDtype,
  SAFETENSORS_DTYPES,
  type SafetensorsDtype,
  type WritableDtype,
} from './safetensors/dtype.js';
export { bfloat16ToFloat32, float16ToFloat32, float32ToBfloat16, float32ToFloat16 } from './safetensors/half-precision.js';
export { MAX_HEADER_BYTES } from './safetensors/header.js';
export { parseSafetensors, type SafetensorsContents, type SafetensorsTensor } from './safetensors/parse.js';
export { readSafetensors } from './safetensors/read-file.js';
export { type SerializeOptions, serializeSafetensors, type TensorToWrite } from './safetensors/serialize.js';
export { writeSafetensors } from './safetensors/write-file.js';
export { quantizeWeights, type WeightStorage } from './tfjs/quantize-weights.js';
export {
  IMPORT_METADATA,
  type ImportMetadata,
  type ImportModelResult,
  type ImportTorchModelOptions,
  importTorchModel,
} from './torch/import-model.js';
export { type ImportReport, type ImportTorchOptions, importTorchWeights } from './torch/import-weights.js';
export type { StateDictSource } from './torch/state-dict.js';
export { TORCH_NAME_RULES, type TorchNameRules } from './torch/torch-names.js';
export { LAYER_KINDS, type WeightKind } from './torch/weight-layouts.js';
