import { describe, expect, it } from 'vitest';
import { childElements, descendants, parseXml, path, textContent } from './xml-tree.js';

describe('xml-tree', () => {
  const [root] = parseXml(
    '<?xml version="1.0"?><p:sld xmlns:p="p" xmlns:a="a"><p:sp><a:p><a:r><a:t>Qingyun</a:t></a:r><a:r><a:t> Wu &amp; &#xAC00;</a:t></a:r></a:p></p:sp><p:sp id="2"/></p:sld>',
  );

  it('keeps element order, local names, attributes and significant spaces', () => {
    expect(root?.localName).toBe('sld');
    expect(childElements(root!, 'sp').map((shape) => shape.attributes.id)).toEqual([undefined, '2']);
    expect(textContent(root!)).toBe('Qingyun Wu & 가');
  });

  it('finds descendants and paths by local name whatever the prefix', () => {
    expect(descendants(root!, 't').map(textContent)).toEqual(['Qingyun', ' Wu & 가']);
    expect(path(root, 'sp', 'p', 'r', 't') && textContent(path(root, 'sp', 'p', 'r', 't')!)).toBe('Qingyun');
    expect(path(root, 'missing', 'p')).toBeUndefined();
  });

  it('does not expand entities declared in a DOCTYPE', () => {
    const [bomb] = parseXml('<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><x>&b;</x>');
    expect(textContent(bomb!).length).toBeLessThan(100);
  });
});
