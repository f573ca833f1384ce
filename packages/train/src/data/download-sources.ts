/** One file of an official dataset distribution and its published MD5 checksum. */
export interface SourceFile {
  name: string;
  md5: string;
}

/** Where a dataset is published: mirrors tried in order, the files, and how to unpack them. */
export interface DatasetSource {
  name: 'fashion-mnist' | 'mnist' | 'cifar10' | 'cifar100';
  /** Base URLs, official first; each file is `base + name`. */
  mirrors: readonly string[];
  files: readonly SourceFile[];
  /** `tar.gz` archives are unpacked after verification; IDX `.gz` files are kept as they are (read gzipped). */
  archive: 'none' | 'tar.gz';
  /**
   * Where `convkit data download` puts the files when given no `--out`: where the registered dataset
   * of the same name looks, so `--data NAME` finds them. CIFAR's archive brings its own
   * `cifar-10-batches-bin` folder, so it is unpacked into `data`.
   */
  defaultOut: string;
}

/** The official files and the MD5 checksums their publishers list. */
export const DATASET_SOURCES: Readonly<Record<DatasetSource['name'], DatasetSource>> = {
  // Checksums from the Fashion-MNIST README (zalandoresearch/fashion-mnist).
  'fashion-mnist': {
    name: 'fashion-mnist',
    mirrors: ['http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/'],
    files: [
      { name: 'train-images-idx3-ubyte.gz', md5: '8d4fb7e6c68d591d4c3dfef9ec88bf0d' },
      { name: 'train-labels-idx1-ubyte.gz', md5: '25c81989df183df01b3e8a0aad5dffbe' },
      { name: 't10k-images-idx3-ubyte.gz', md5: 'bef4ecab320f06d8554ea6380940ec79' },
      { name: 't10k-labels-idx1-ubyte.gz', md5: 'bb300cfdad3c16e7a12a480ee83cd310' },
    ],
    archive: 'none',
    defaultOut: 'data/fashion-mnist',
  },
  // LeCun's site is often unreachable; the second mirror is the one torchvision uses.
  mnist: {
    name: 'mnist',
    mirrors: ['http://yann.lecun.com/exdb/mnist/', 'https://ossci-datasets.s3.amazonaws.com/mnist/'],
    files: [
      { name: 'train-images-idx3-ubyte.gz', md5: 'f68b3c2dcbeaaa9fbdd348bbdeb94873' },
      { name: 'train-labels-idx1-ubyte.gz', md5: 'd53e105ee54ea40749a09fcbcd1e9432' },
      { name: 't10k-images-idx3-ubyte.gz', md5: '9fb629c4189551a2d022fa330f9573f3' },
      { name: 't10k-labels-idx1-ubyte.gz', md5: 'ec29112dd5afa0611ce80d1b7f02629c' },
    ],
    archive: 'none',
    defaultOut: 'data/mnist',
  },
  // Checksum of the binary version from https://www.cs.toronto.edu/~kriz/cifar.html.
  cifar10: {
    name: 'cifar10',
    mirrors: ['https://www.cs.toronto.edu/~kriz/'],
    files: [{ name: 'cifar-10-binary.tar.gz', md5: 'c32a1d4ab5d03f1284b67883e8d87530' }],
    archive: 'tar.gz',
    defaultOut: 'data',
  },
  // Checksum of the binary version from https://www.cs.toronto.edu/~kriz/cifar.html.
  cifar100: {
    name: 'cifar100',
    mirrors: ['https://www.cs.toronto.edu/~kriz/'],
    files: [{ name: 'cifar-100-binary.tar.gz', md5: '03b5dce01913d631647c71ecec9e9cb8' }],
    archive: 'tar.gz',
    defaultOut: 'data',
  },
};
