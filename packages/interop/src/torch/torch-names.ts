/**
 * How a family's PyTorch module paths become convkit layer names. Most torchvision forms name their
 * layers by torchvision's module paths already (`layer1.0.conv1`), so their entry is empty; the rest
 * are data in torchvision's own spirit (its DenseNet `_load_state_dict` regex table), never code.
 */
export interface TorchNameRules {
  /**
   * Rewrites of a PyTorch module path (the key without its last `.param`), applied in order:
   * `[pattern, replacement]` as for `String.replace`.
   */
  renames?: readonly (readonly [RegExp, string])[];
  /**
   * Containers (`features`, `classifier`) whose numbered modules (`features.0`, `features.3`, ...)
   * match convkit's weighted layers under the same prefix (`features.conv1`, ...) in order: torchvision
   * builds them as `nn.Sequential`s whose indices count weightless ReLUs and pools too.
   */
  positional?: readonly string[];
}

/** GoogLeNet's Inception branches in torchvision (`branch2.0`) and under the paper's names (`3x3_reduce`). */
const INCEPTION_BRANCHES: readonly (readonly [RegExp, string])[] = [
  [/\.branch1(?=\.|$)/, '.1x1'],
  [/\.branch2\.0(?=\.|$)/, '.3x3_reduce'],
  [/\.branch2\.1(?=\.|$)/, '.3x3'],
  [/\.branch3\.0(?=\.|$)/, '.5x5_reduce'],
  [/\.branch3\.1(?=\.|$)/, '.5x5'],
  [/\.branch4\.1(?=\.|$)/, '.pool_proj'],
];

/** Per-family rules by `ArchitectureSpec.family`; a family not listed matches names as they are. */
export const TORCH_NAME_RULES: Readonly<Record<string, TorchNameRules>> = {
  alexnet: { positional: ['features', 'classifier'] },
  vgg: { positional: ['features', 'classifier'] },
  // torchvision's BasicConv2d holds `.conv` and `.bn`; convkit's unit is the convolution itself.
  googlenet: { renames: [...INCEPTION_BRANCHES, [/\.conv$/, '']] },
  // Checkpoints saved before torchvision 0.3 name `denselayer1.norm.1` what it now calls `norm1`.
  densenet: { renames: [[/(denselayer\d+\.(?:norm|relu|conv))\.([12])$/, '$1$2']] },
};

/** The rules for `family`, with `extra` (a caller's own) applied first. */
export function torchNameRules(family: string | undefined, extra: TorchNameRules = {}): Required<TorchNameRules> {
  const base = (family && TORCH_NAME_RULES[family]) || {};
  return {
    renames: [...(extra.renames ?? []), ...(base.renames ?? [])],
    positional: [...(extra.positional ?? []), ...(base.positional ?? [])],
  };
}
