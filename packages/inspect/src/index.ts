/**
 * @convkit/inspect: the mathematics of convolution measured on a model. Convolution against
 * cross-correlation, kernel composition, frequency responses and the convolution theorem,
 * translation equivariance over depth, effective receptive fields, Grad-CAM, gradient flow and the
 * attention maps of SE, CBAM and non-local modules,
 * each citing the formula it computes; `convkit inspect` draws them as PNG pictures.
 * @packageDocumentation
 */
export {
  type AttentionOnImageOptions,
  attentionOnImage,
  type ChannelAttention,
  type ModuleAttention,
  type PairwiseAttention,
  type SpatialAttention,
} from './attention-on-image.js';
export { circularConvolve2d, convolve2d, crossCorrelate2d, flipKernel, type Matrix, maxAbsDifference } from './convolution.js';
export { type EffectiveReceptiveField, effectiveReceptiveField } from './effective-receptive-field.js';
export { type EquivarianceCurve, type LayerEquivariance, roll, translationEquivariance } from './equivariance.js';
export { backendHasFft, fft2d, type Spectrum } from './fft2d.js';
export { type ConvolutionTheoremCheck, convolutionTheorem, type FrequencyResponse, frequencyResponse } from './frequency.js';
export { type GradCam, gradCam, lastSpatialLayer } from './grad-cam.js';
export { type GradientFlow, gradientFlow, type LayerGradient } from './gradient-flow.js';
export { type AxisGrid, type MapGrid, mapGrids, mapToInput } from './grid-geometry.js';
export {
  applyConvolution,
  applyConvolutions,
  type ComposedConv,
  composeConvolutions,
  type LinearConv,
} from './kernel-composition.js';
export { modelOutput, type RunLayersOptions, requireLayer, runLayers, spatialLayers } from './layer-outputs.js';
export {
  channelWeightsPicture,
  erfPicture,
  featureMapPicture,
  filterGridPicture,
  gradCamPicture,
  imagePicture,
  mapsOverImagePicture,
  spectrumPicture,
} from './pictures/pictures.js';
export {
  blankRaster,
  colourMap,
  diverging,
  encodePng,
  enlarge,
  grey,
  heat,
  outline,
  overlay,
  type Raster,
  tile,
} from './pictures/raster.js';
export { INSPECTIONS, type InspectionName, type InspectOptions, inspect } from './run/inspect.js';
export {
  type InspectionOptions,
  type InspectionResult,
  inspectAttention,
  inspectEquivariance,
  inspectErf,
  inspectFeatureMaps,
  inspectFilters,
  inspectFrequency,
  inspectGradCam,
  inspectGradientFlow,
} from './run/inspections.js';
export { buildUntrained, openSubject, type Subject, type SubjectImages, type SubjectOptions, subjectImages } from './run/subject.js';
