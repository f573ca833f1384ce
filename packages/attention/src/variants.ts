import { mobilenetV2, resnet20, resnet50, resnext50x32x4d } from '@convkit/arch-modern';
import { cbamAttention } from './cbam.js';
import { withNonLocal } from './non-local-placement.js';
import { se } from './squeeze-excite.js';
import { withAttention } from './with-attention.js';

/**
 * SE-ResNet-20: the CIFAR ResNet-20 of He et al. 2016 with squeeze-and-excitation (r = 16, timm's
 * rounding to multiples of 8) after the second batch norm of every basic block, before the add (Hu
 * et al. 2018, Fig. 3). Default input 32x32x3, 10 classes: 275,506 trainable parameters, ResNet-20's
 * 269,722 plus three modules each on 16, 32 and 64 channels (`2 C C' + C' + C`, C' = 8: 280, 552, 1,096).
 */
export const seResnet20 = withAttention(resnet20, se, {
  description: 'ResNet-20 (CIFAR) with squeeze-and-excitation (r = 16) in every basic block, before the add',
  reference: { params: 275_506, source: "ResNet-20 (269,722) + 9 SE modules by the formula 2CC' + C' + C" },
});

/**
 * CBAM-ResNet-20: CIFAR ResNet-20 with CBAM (r = 16, 7x7 spatial gate) after the second batch norm
 * of every basic block, before the add, as Woo et al. 2018 (Fig. 3) place it in ResNets. Default
 * input 32x32x3, 10 classes: 272,995 trainable parameters, ResNet-20's 269,722 plus three modules each
 * on 16, 32 and 64 channels (C' = floor(C / 16); MLP `2 C C' + C' + C` and 100 for the spatial gate).
 */
export const cbamResnet20 = withAttention(resnet20, cbamAttention, {
  description: 'ResNet-20 (CIFAR) with CBAM (channel then 7x7 spatial gate, r = 16) in every basic block, before the add',
  reference: { params: 272_995, source: "ResNet-20 (269,722) + 9 CBAM modules by the formula 2CC' + C' + C + 2*7^2 + 2" },
});

/**
 * SE-ResNet-50 (Hu et al. 2018): torchvision's ResNet-50 with SE (r = 16) after every bottleneck's
 * third batch norm, before the add. Default input 224x224x3: 28,088,024 trainable parameters, timm's
 * `seresnet50` and test/fixtures/param_counts.py (the paper's 28.09M).
 */
export const seResnet50 = withAttention(resnet50, se, {
  description: 'ResNet-50 with squeeze-and-excitation (r = 16) in every bottleneck, before the add',
  reference: { params: 28_088_024, source: 'timm seresnet50; test/fixtures/param_counts.py' },
});

/**
 * CBAM-ResNet-50 (Woo et al. 2018): ResNet-50 with CBAM in every bottleneck, before the add. Default
 * input 224x224x3: 28,089,624 trainable parameters, the official CBAM code's structure counted by
 * test/fixtures/param_counts.py (the paper's 28.09M).
 */
export const cbamResnet50 = withAttention(resnet50, cbamAttention, {
  description: 'ResNet-50 with CBAM (channel then 7x7 spatial gate, r = 16) in every bottleneck, before the add',
  reference: { params: 28_089_624, source: "official CBAM code's structure; test/fixtures/param_counts.py" },
});

/**
 * SE-ResNeXt-50 32x4d (Hu et al. 2018, Table 2): torchvision's ResNeXt-50 32x4d with SE (r = 16)
 * after every bottleneck's third batch norm, before the add. Default input 224x224x3: 27,559,896
 * trainable parameters, timm's `seresnext50_32x4d` and test/fixtures/param_counts.py (paper: 27.56M).
 */
export const seResnext50x32x4d = withAttention(resnext50x32x4d, se, {
  description: 'ResNeXt-50 32x4d with squeeze-and-excitation (r = 16) in every bottleneck, before the add',
  reference: { params: 27_559_896, source: 'timm seresnext50_32x4d; test/fixtures/param_counts.py' },
});

/**
 * SE-MobileNet-v2: torchvision's MobileNet v2 with SE inside every inverted residual, on the expanded
 * width after the depthwise step and before the linear projection, as MnasNet (Tan et al. 2019) and
 * MobileNet v3 (Howard et al. 2019) place it, with MobileNet v3's squeeze of C/4 rounded to multiples
 * of 8. Default input 224x224x3: 5,772,232 trainable parameters, MobileNet v2's 3,504,872 plus
 * 2,267,360 in 17 modules (test/fixtures/param_counts.py, torchvision's SqueezeExcitation).
 */
export const seMobilenetV2 = withAttention(mobilenetV2, se, {
  options: { reduction: 4 },
  description: "MobileNet v2 with MobileNet v3's squeeze-and-excitation (r = 4) after every depthwise step",
  paper: { title: 'Searching for MobileNetV3', year: 2019, url: 'https://arxiv.org/abs/1905.02244' },
  reference: {
    params: 5_772_232,
    source: 'torchvision mobilenet_v2 + SqueezeExcitation(C, make_divisible(C // 4, 8)); test/fixtures/param_counts.py',
  },
});

/**
 * Non-local ResNet-50 (Wang et al. 2018, Table 2a's single block): torchvision's ResNet-50 with one
 * embedded-Gaussian non-local block right before the last block of res4 (after `layer3.4`).
 * Default input 224x224x3: 27,658,792 trainable parameters, ResNet-50 plus one block on 1,024
 * channels (test/fixtures/param_counts.py, the official code's block).
 */
export const nonlocalResnet50 = withNonLocal(
  resnet50,
  { stages: [3], blocks: [5] },
  {
    description: 'ResNet-50 with one non-local block (embedded Gaussian) before the last block of res4',
    reference: { params: 27_658_792, source: "official non-local block's structure; test/fixtures/param_counts.py" },
  },
);

/**
 * Non-local ResNet-50, the paper's five-block form (Wang et al. 2018, Table 2b): non-local blocks
 * after every second block of res3 and res4 (`layer2.1`, `layer2.3`, `layer3.1`, `layer3.3`,
 * `layer3.5`). Default input 224x224x3: 32,915,496 trainable parameters (test/fixtures/param_counts.py).
 */
export const nonlocalResnet50x5 = withNonLocal(
  resnet50,
  { stages: [2, 3], every: 2 },
  {
    name: 'nonlocal-resnet50-5block',
    description: 'ResNet-50 with five non-local blocks, after every second block of res3 and res4',
    reference: { params: 32_915_496, source: "official non-local block's structure; test/fixtures/param_counts.py" },
  },
);
