/**
 * The view layer as far as tests need it. A Taro page renders one template (`base.wxml`) over the
 * tree the logic layer sends with `setData`: each node names its template by `nn`, carries its
 * attributes under short keys (`p0`, `p11`…) and its id in `uid`/`sid`; text nodes carry `v`.
 * Which template attribute reads which key, and which events a template binds to the page's
 * `eh`, is read from base.wxml itself, so the view is what WeChat would draw from the same files.
 */

export interface Template {
  tag: string
  /** attribute name → the node's data key (`open-type` → `p11`) */
  attributes: Map<string, string>
  /** events bound to `eh` (`tap`, `getphonenumber`…), and those caught (not bubbling further) */
  bound: Set<string>
  caught: Set<string>
}

export function readTemplates(baseWxml: string): Map<string, Template> {
  const templates = new Map<string, Template>()
  const pattern = /<template name="tmpl_0_([\w#-]+?)(?:_(focus|blur))?">\s*<([\w-]+)([^>]*)>/g
  for (const match of baseWxml.matchAll(pattern)) {
    const [, nn, variant, tag, attributeText] = match as unknown as [
      string,
      string,
      string | undefined,
      string,
      string,
    ]
    // a node whose template picks a focus/blur variant: the attributes are the blur variant's
    if (tag === 'template' || variant === 'focus') continue
    const attributes = new Map<string, string>()
    for (const a of attributeText.matchAll(/([\w:-]+)="\{\{(?:xs\.b\()?i\.(\w+)/g))
      attributes.set(a[1]!, a[2]!)
    const bound = new Set<string>()
    const caught = new Set<string>()
    for (const e of attributeText.matchAll(/(bind|catch)(\w+)="eh"/g)) {
      bound.add(e[2]!)
      if (e[1] === 'catch') caught.add(e[2]!)
    }
    templates.set(nn, { tag, attributes, bound, caught })
  }
  return templates
}

export interface RawNode {
  nn?: string
  sid?: string
  uid?: string
  cl?: string
  v?: string
  cn?: RawNode[]
  [key: string]: unknown
}

export class ViewNode {
  constructor(
    readonly raw: RawNode,
    readonly parent: ViewNode | null,
    private readonly templates: Map<string, Template>,
  ) {}

  get template(): Template | undefined {
    return this.raw.nn === undefined ? undefined : this.templates.get(this.raw.nn)
  }

  get tag(): string {
    if (this.isText) return '#text'
    return this.template?.tag ?? `unknown(${this.raw.nn})`
  }

  get isText(): boolean {
    return typeof this.raw.v === 'string' && (this.template?.tag ?? 'block') === 'block'
  }

  /** what `id="{{i.uid||i.sid}}"` renders */
  get id(): string {
    return String(this.raw.uid || this.raw.sid || '')
  }

  get sid(): string {
    return String(this.raw.sid ?? '')
  }

  get className(): string {
    return String(this.raw.cl ?? '')
  }

  /** a template attribute as the view has it (`open-type`, `disabled`, `value`…) */
  attribute(name: string): unknown {
    const key = this.template?.attributes.get(name)
    return key === undefined ? undefined : this.raw[key]
  }

  binds(event: string): boolean {
    return this.template?.bound.has(event) ?? false
  }

  catches(event: string): boolean {
    return this.template?.caught.has(event) ?? false
  }

  get children(): ViewNode[] {
    return (this.raw.cn ?? []).map((child) => new ViewNode(child, this, this.templates))
  }

  text(): string {
    if (this.isText) return this.raw.v ?? ''
    return this.children.map((child) => child.text()).join('')
  }

  /** this node and every element below it, depth first */
  *descendants(): Generator<ViewNode> {
    yield this
    for (const child of this.children) yield* child.descendants()
  }

  /** the tag, classes and text: enough to tell which node a failed query meant */
  describe(): string {
    return `<${this.tag}${this.className ? ` class="${this.className}"` : ''}>${this.text().slice(0, 60)}`
  }
}
