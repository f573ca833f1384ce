import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import {
  architectureOptions,
  defineArchitecture,
  definePlugin,
  knownArchitectureTags,
  Registry,
  selectArchitectures,
} from '../src/index.js';

const tagged = (name: string, family: string, tags?: string[]) =>
  defineArchitecture({
    name,
    family,
    tags,
    defaultInput: [4, 4, 1],
    options: architectureOptions({ numClasses: 2, inputShape: [4, 4, 1] }, {}),
    build: ({ numClasses, inputShape }) =>
      tfl.sequential({ layers: [tfl.layers.flatten({ inputShape }), tfl.layers.dense({ units: numClasses })] }),
  });

const registry = new Registry().use(
  definePlugin({
    name: 'tag-plugin',
    architectures: [
      tagged('plain-cifar', 'plain', ['cifar']),
      tagged('se-cifar', 'plain', ['cifar', 'attention', 'se']),
      tagged('se-big', 'big', ['imagenet', 'attention', 'se']),
      tagged('untagged', 'big'),
    ],
  }),
);
const names = (filter: Parameters<typeof selectArchitectures>[1]) => selectArchitectures(registry, filter).map((e) => e.name);

describe('selectArchitectures', () => {
  it('keeps every architecture without a filter, in registration order', () => {
    expect(names({})).toEqual(['plain-cifar', 'se-cifar', 'se-big', 'untagged']);
  });

  it('keeps the architectures carrying every asked tag, and of the asked family', () => {
    expect(names({ tags: ['attention'] })).toEqual(['se-cifar', 'se-big']);
    expect(names({ tags: ['attention', 'cifar'] })).toEqual(['se-cifar']);
    expect(names({ family: 'big' })).toEqual(['se-big', 'untagged']);
    expect(names({ family: 'big', tags: ['se'] })).toEqual(['se-big']);
  });

  it('lists the known tags, sorted and once each', () => {
    expect(knownArchitectureTags(registry)).toEqual(['attention', 'cifar', 'imagenet', 'se']);
  });

  it('answers an unknown tag or family in one line listing the known ones', () => {
    expect(() => names({ tags: ['cifar', 'atention'] })).toThrowError(
      /^no registered architecture has tag "atention"; known tags: attention, cifar, imagenet, se$/,
    );
    expect(() => names({ family: 'vgg' })).toThrowError(/^no registered architecture has family "vgg"; known families: big, plain$/);
  });
});

describe('defineArchitecture tags', () => {
  it('refuses a tag that is not lowercase kebab-case, naming it', () => {
    expect(() => tagged('bad-tag', 'plain', ['Attention'])).toThrowError(
      /architecture bad-tag has tag "Attention"; tags must be lowercase kebab-case/,
    );
  });
});
