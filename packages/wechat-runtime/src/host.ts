import { readFileSync } from 'node:fs'
import { copyFile, mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import vm from 'node:vm'
import { fail } from './callbacks'
import { CanvasNode } from './canvas'
import { Gesture } from './gesture'
import { Network } from './network'
import { newPerson, type Person } from './person'
import { PrivacyGate } from './privacy'
import { Storage } from './storage'
import { Screen } from './ui'
import { type RawNode, readTemplates, type Template, ViewNode } from './view'
import {
  type CalendarEntry,
  createWx,
  type NavigationKind,
  phoneNumberDetail,
  type QueriedNode,
  type Wx,
} from './wx'

export interface HostOptions {
  /** the built package, e.g. apps/miniapp/dist/weapp */
  dist: string
  /** the app's own AppID, as WeChat runs it */
  appId: string
  /** the WeChat sandbox standing in for WeChat's servers (login and phone codes) */
  sandboxUrl: string
  /** configured server domains → where each really runs (see Network) */
  domains: Record<string, string>
  person?: Person
  /** the phone's network, e.g. to make it fail */
  fetch?: typeof fetch
  /** an image the person picks as their avatar (a temporary file is made of it) */
  avatarImage?: string
}

type PageConfig = Record<string, unknown> & { data?: Record<string, unknown> }

export interface PageInstance {
  route: string
  options: Record<string, string>
  data: Record<string, unknown>
  setData(data: Record<string, unknown>, callback?: () => void): void
  [method: string]: unknown
}

interface AppJson {
  pages: string[]
  subPackages?: { root: string; pages: string[] }[]
  subpackages?: { root: string; pages: string[] }[]
  tabBar?: { list: { pagePath: string }[] }
  __usePrivacyCheck__?: boolean
}

const STACK_LIMIT = 10

/**
 * WeChat's logic layer for one launch of a built mini-program, in Node: `App`, `Page`,
 * `Component`, `getApp`, `getCurrentPages` and the strict `wx` in a `node:vm` context; scripts
 * loaded the way WeChat loads them (app.js first, a page's script on its first visit, a
 * subpackage's only when one of its pages opens); the page stack and its lifecycles; and the
 * view's events delivered to each page's `eh` as WeChat delivers them, tap by tap.
 */
export class MiniProgram {
  readonly person: Person
  readonly screen = new Screen()
  readonly gesture = new Gesture()
  readonly storage = new Storage()
  readonly privacy: PrivacyGate
  readonly network: Network
  readonly wx: Wx
  readonly scans: string[] = []
  readonly calendar: CalendarEntry[] = []
  readonly subscriptions: Record<string, string>[] = []
  readonly authSetting: Record<string, boolean> = {}
  /** scripts in the order they ran, relative to dist */
  readonly loadedScripts: string[] = []
  /** errors thrown by the app's code on a timer or promise of the host's making */
  readonly errors: unknown[] = []

  private readonly appJson: AppJson
  private readonly templates: Map<string, Template>
  private readonly context: vm.Context
  private readonly modules = new Map<string, { exports: unknown }>()
  private readonly pageConfigs = new Map<string, PageConfig>()
  private readonly tempFiles = new Map<string, string>()
  private loadingRoute: string | null = null
  private app: Record<string, unknown> | null = null
  private stack: PageInstance[] = []
  private readonly tabPages = new Map<string, PageInstance>()
  private nextWebviewId = 1
  private tempDir: string | null = null

  constructor(private readonly options: HostOptions) {
    this.person = options.person ?? newPerson(`o${Math.random().toString(36).slice(2, 14)}`)
    this.appJson = JSON.parse(readFileSync(join(options.dist, 'app.json'), 'utf8')) as AppJson
    this.templates = readTemplates(readFileSync(join(options.dist, 'base.wxml'), 'utf8'))
    this.privacy = new PrivacyGate(
      this.appJson.__usePrivacyCheck__ === true,
      () => this.person.agreesToPrivacyPopup,
    )
    this.network = new Network(
      { domains: options.domains, appId: options.appId, fetch: options.fetch },
      this.tempFiles,
    )
    this.wx = createWx({
      nodeById: (id) => this.nodeById(id),
      appId: options.appId,
      sandboxUrl: options.sandboxUrl,
      person: this.person,
      gesture: this.gesture,
      privacy: this.privacy,
      network: this.network,
      storage: this.storage,
      screen: this.screen,
      scans: this.scans,
      calendar: this.calendar,
      subscriptions: this.subscriptions,
      authSetting: this.authSetting,
      navigator: {
        navigate: (kind, target) => this.navigate(kind, target),
        isTabPage: () => this.isTabRoute(this.currentPage()?.route ?? ''),
        stopPullDownRefresh: () => {},
      },
    })
    this.context = vm.createContext({
      wx: this.wx,
      console,
      setTimeout: (fn: () => void, ms?: number) => setTimeout(() => this.guard(fn), ms),
      clearTimeout,
      setInterval: (fn: () => void, ms?: number) => setInterval(() => this.guard(fn), ms),
      clearInterval,
      App: (config: Record<string, unknown>) => {
        if (this.app) throw new Error('App() called twice')
        this.app = config
      },
      Page: (config: PageConfig) => {
        if (!this.loadingRoute) throw new Error('Page() called outside the loading of a page script')
        this.pageConfigs.set(this.loadingRoute, config)
      },
      Component: () => {},
      Behavior: (definition: unknown) => definition,
      getApp: () => this.app,
      getCurrentPages: () => [...this.stack],
      requirePlugin: (name: string) => {
        throw new Error(`plugin ${name} is not available`)
      },
    })
  }

  // ---- launch -------------------------------------------------------------------------------

  /** Runs app.js, then App's onLaunch and onShow, then opens the first page. */
  async launch(path = this.appJson.pages[0]!, query: Record<string, string> = {}): Promise<void> {
    this.require('app.js', null)
    const app = this.app
    if (!app) throw new Error('app.js did not call App()')
    const launchOptions = { path, query, scene: 1001, referrerInfo: {} }
    this.call(app, 'onLaunch', launchOptions)
    this.call(app, 'onShow', launchOptions)
    await this.open(path, query)
  }

  private guard(fn: () => void): void {
    try {
      fn()
    } catch (error) {
      this.errors.push(error)
    }
  }

  private call(target: Record<string, unknown>, method: string, ...args: unknown[]): unknown {
    const fn = target[method]
    return typeof fn === 'function' ? fn.apply(target, args) : undefined
  }

  /** CommonJS as WeChat runs it: one module per file, `require` relative to the requiring file. */
  private require(request: string, from: string | null): unknown {
    const base = from ? dirname(from) : this.options.dist
    let file = resolve(base, request)
    if (!file.endsWith('.js')) file += '.js'
    const cached = this.modules.get(file)
    if (cached) return cached.exports
    const module = { exports: {} as unknown }
    this.modules.set(file, module)
    const source = readFileSync(file, 'utf8')
    const wrapper = vm.runInContext(`(function (module, exports, require) {${source}\n})`, this.context, {
      filename: file,
    }) as (module: unknown, exports: unknown, require: (r: string) => unknown) => void
    this.loadedScripts.push(relative(this.options.dist, file))
    wrapper(module, module.exports, (r) => this.require(r, file))
    return module.exports
  }

  // ---- pages --------------------------------------------------------------------------------

  private allRoutes(): string[] {
    const sub = this.appJson.subPackages ?? this.appJson.subpackages ?? []
    return [
      ...this.appJson.pages,
      ...sub.flatMap((pkg) => pkg.pages.map((page) => `${pkg.root.replace(/\/$/, '')}/${page}`)),
    ]
  }

  private isTabRoute(route: string): boolean {
    return (this.appJson.tabBar?.list ?? []).some((tab) => tab.pagePath === route)
  }

  currentPage(): PageInstance | undefined {
    return this.stack.at(-1)
  }

  pages(): PageInstance[] {
    return [...this.stack]
  }

  private parseUrl(kind: string, url: string): { route: string; query: Record<string, string> } {
    const [path = '', search = ''] = url.split('?')
    const current = this.currentPage()?.route
    const route = path.startsWith('/')
      ? path.slice(1)
      : join(current ? dirname(current) : '', path).replace(/\\/g, '/')
    if (!this.allRoutes().includes(route)) throw fail(kind, `page "${route}" is not found`)
    return { route, query: Object.fromEntries(new URLSearchParams(search)) }
  }

  private async navigate(kind: NavigationKind, target: { url?: string; delta?: number }): Promise<void> {
    if (kind === 'navigateBack') {
      const delta = Math.max(1, target.delta ?? 1)
      if (this.stack.length <= 1) throw fail(kind, 'cannot navigate back at first page.')
      for (let i = 0; i < delta && this.stack.length > 1; i++) this.unload(this.stack.pop()!)
      this.show(this.currentPage()!)
      return
    }
    const { route, query } = this.parseUrl(kind, String(target.url ?? ''))
    const isTab = this.isTabRoute(route)
    if (kind === 'switchTab') {
      if (!isTab) throw fail(kind, 'can not switch to no-tabBar page')
      // every page that is not a tab page closes
      for (const page of this.stack.splice(0).reverse()) {
        if (this.isTabRoute(page.route)) this.hide(page)
        else this.unload(page)
      }
      const kept = this.tabPages.get(route)
      if (kept) {
        this.stack = [kept]
        this.show(kept)
      } else await this.open(route, {})
      return
    }
    if (isTab && kind !== 'reLaunch') throw fail(kind, `can not ${kind} a tabbar page`)
    if (kind === 'navigateTo') {
      if (this.stack.length >= STACK_LIMIT) throw fail(kind, 'webview count limit exceed')
      const current = this.currentPage()
      if (current) this.hide(current)
      await this.open(route, query)
      return
    }
    if (kind === 'redirectTo') {
      const current = this.stack.pop()
      if (current) this.unload(current)
      await this.open(route, query)
      return
    }
    // reLaunch: every page closes, tab pages too
    for (const page of this.stack.splice(0).reverse()) this.unload(page)
    for (const page of this.tabPages.values()) this.unload(page)
    this.tabPages.clear()
    await this.open(route, query)
  }

  private async open(route: string, query: Record<string, string>): Promise<void> {
    if (!this.pageConfigs.has(route)) {
      this.loadingRoute = route
      try {
        this.require(`${route}.js`, null)
      } finally {
        this.loadingRoute = null
      }
    }
    const config = this.pageConfigs.get(route)
    if (!config) throw new Error(`${route}.js did not call Page()`)
    const page = this.instantiate(route, query, config)
    this.stack.push(page)
    if (this.isTabRoute(route)) this.tabPages.set(route, page)
    this.call(page, 'onLoad', { ...query })
    this.call(page, 'onShow')
    // onReady follows the first render
    await new Promise((done) => setTimeout(done, 0))
    if (this.stack.includes(page)) this.call(page, 'onReady')
  }

  private instantiate(route: string, query: Record<string, string>, config: PageConfig): PageInstance {
    const page = { ...config } as PageInstance
    page.data = structuredClone(config.data ?? {}) as Record<string, unknown>
    page.route = route
    page.__route__ = route
    page.options = { ...query }
    page.__wxWebviewId__ = this.nextWebviewId++
    page.setData = (data, callback) => {
      applySetData(page.data, data)
      if (callback) setTimeout(() => this.guard(callback), 0)
    }
    page.selectComponent = () => null
    page.selectAllComponents = () => []
    page.getOpenerEventChannel = () => ({ emit() {}, on() {}, once() {}, off() {} })
    return page
  }

  private hide(page: PageInstance): void {
    this.call(page, 'onHide')
  }

  private show(page: PageInstance): void {
    this.call(page, 'onShow')
  }

  private unload(page: PageInstance): void {
    this.call(page, 'onUnload')
    if (this.tabPages.get(page.route) === page) this.tabPages.delete(page.route)
  }

  /** The person taps a tab of the tab bar (WeChat's own UI, outside the page's view). */
  async tapTab(pagePath: string): Promise<void> {
    const tab = (this.appJson.tabBar?.list ?? []).findIndex((item) => item.pagePath === pagePath)
    if (tab < 0) throw new Error(`${pagePath} is not on the tab bar`)
    if (!this.screen.tabBarVisible) throw new Error('the tab bar is hidden')
    await this.navigate('switchTab', { url: `/${pagePath}` })
    const page = this.currentPage()
    if (page) this.call(page, 'onTabItemTap', { index: tab, pagePath, text: '' })
  }

  /** The person pulls the page down (enablePullDownRefresh). */
  pullDownRefresh(): void {
    const page = this.currentPage()
    if (page) this.call(page, 'onPullDownRefresh')
  }

  // ---- the view -----------------------------------------------------------------------------

  private readonly canvases = new WeakMap<PageInstance, Map<string, CanvasNode>>()

  /** The current page's element with this id, as a selector query sees it. */
  private nodeById(id: string): QueriedNode | null {
    const page = this.currentPage()
    if (!page) return null
    const node = [...this.view().descendants()].find((n) => !n.isText && n.id === id)
    if (!node) return null
    return {
      id,
      tag: node.tag,
      type: node.attribute('type'),
      canvas: () => {
        const byId = this.canvases.get(page) ?? new Map<string, CanvasNode>()
        this.canvases.set(page, byId)
        // one Canvas per element: keyed by the node's sid, which stays while it is rendered
        const key = node.sid || id
        if (!byId.has(key)) byId.set(key, new CanvasNode())
        return byId.get(key)!
      },
    }
  }

  /** The Canvas 2D node of the current page's `<canvas type="2d" id>`, once the app has asked for it. */
  canvas(id: string): CanvasNode | undefined {
    const page = this.currentPage()
    const node = page && [...this.view().descendants()].find((n) => !n.isText && n.id === id)
    return node ? this.canvases.get(page)?.get(node.sid || id) : undefined
  }

  /** The current page's view, as drawn from its data. */
  view(): ViewNode {
    const page = this.currentPage()
    if (!page) throw new Error('no page is open')
    const root = (page.data.root ?? { cn: [] }) as RawNode
    return new ViewNode(root, null, this.templates)
  }

  text(): string {
    return this.currentPage() ? this.view().text() : ''
  }

  /** Elements of the current page, innermost first among those matching. */
  findAll(query: { tag?: string; text?: string | RegExp; className?: string; id?: string }): ViewNode[] {
    const matches: ViewNode[] = []
    for (const node of this.view().descendants()) {
      if (node.isText) continue
      if (query.tag && node.tag !== query.tag) continue
      if (query.className && !node.className.split(/\s+/).includes(query.className)) continue
      if (query.id && node.id !== query.id) continue
      if (query.text !== undefined) {
        const text = node.text()
        if (typeof query.text === 'string' ? !text.includes(query.text) : !query.text.test(text)) continue
      }
      matches.push(node)
    }
    // the innermost match first: the element the person's finger is on
    return matches.filter((node) => !matches.some((other) => other !== node && isAncestor(node, other)))
  }

  find(query: Parameters<MiniProgram['findAll']>[0]): ViewNode {
    const found = this.findAll(query)
    if (found.length === 0)
      throw new Error(
        `nothing matches ${JSON.stringify(query)} on ${this.currentPage()?.route}: ${this.text()}`,
      )
    return found[0]!
  }

  /** Waits until `check` passes (returns a value or does not throw), checking after each turn. */
  async waitFor<T>(check: () => T, timeoutMs = 5000): Promise<Exclude<T, false | null | undefined>> {
    const deadline = Date.now() + timeoutMs
    let last: unknown
    for (;;) {
      try {
        const value = check()
        if (value !== false && value !== null && value !== undefined)
          return value as Exclude<T, false | null | undefined>
        last = new Error(`got ${String(value)}`)
      } catch (error) {
        last = error
      }
      if (this.errors.length > 0) throw this.errors[0]
      if (Date.now() > deadline)
        throw new Error(
          `timed out on ${this.currentPage()?.route ?? 'no page'}: ${last instanceof Error ? last.message : String(last)}\nview: ${this.text()}`,
        )
      await new Promise((done) => setTimeout(done, 10))
    }
  }

  waitForText(text: string, timeoutMs?: number): Promise<true> {
    return this.waitFor(() => {
      if (!this.text().includes(text)) throw new Error(`"${text}" is not on the page`)
      return true as const
    }, timeoutMs)
  }

  // ---- events -------------------------------------------------------------------------------

  private event(type: string, target: ViewNode, current: ViewNode, detail: unknown) {
    const dataset = { sid: current.sid }
    return {
      type,
      timeStamp: Date.now(),
      detail,
      target: { id: target.id, dataset: { sid: target.sid } },
      currentTarget: { id: current.id, dataset },
      mark: {},
      mut: false,
    }
  }

  /** A non-bubbling event on one node (input, blur, getphonenumber…), if its template binds it. */
  dispatch(node: ViewNode, type: string, detail: unknown): void {
    if (!node.binds(type)) return
    const page = this.currentPage()!
    this.call(page, 'eh', this.event(type, node, node, detail))
  }

  /**
   * The person taps `node`: `tap` bubbles from it through every ancestor that binds it (until one
   * catches it), as the person's gesture; a button's open-type then does what WeChat does.
   */
  async tap(node: ViewNode): Promise<void> {
    const button = [...ancestry(node)].find((n) => n.tag === 'button')
    if (button && isTrue(button.attribute('disabled'))) return
    const page = this.currentPage()!
    this.gesture.during(() => {
      for (const current of ancestry(node)) {
        if (!current.binds('tap')) continue
        this.call(page, 'eh', this.event('tap', node, current, { x: 0, y: 0 }))
        if (current.catches('tap')) break
      }
    })
    const openType = button ? String(button.attribute('open-type') ?? '') : ''
    if (button && openType) await this.openType(button, openType.split('|'))
    await new Promise((done) => setTimeout(done, 0))
  }

  private async openType(button: ViewNode, types: string[]): Promise<void> {
    if (types.includes('agreePrivacyAuthorization')) {
      this.privacy.agreeByButton(button.id)
      this.dispatch(button, 'agreeprivacyauthorization', {})
    }
    if (types.includes('getPhoneNumber')) {
      let detail: object
      try {
        await this.privacy.require('getPhoneNumber')
        detail = await phoneNumberDetail({
          appId: this.options.appId,
          sandboxUrl: this.options.sandboxUrl,
          person: this.person,
        })
      } catch (error) {
        detail = error as object
      }
      this.dispatch(button, 'getphonenumber', detail)
    }
    if (types.includes('chooseAvatar')) {
      try {
        await this.privacy.require('chooseAvatar')
      } catch {
        return
      }
      this.dispatch(button, 'chooseavatar', { avatarUrl: await this.temporaryAvatar() })
    }
  }

  private async temporaryAvatar(): Promise<string> {
    if (!this.options.avatarImage) throw new Error('no avatarImage given to the runtime')
    this.tempDir ??= await mkdtemp(join(tmpdir(), 'wechat-runtime-'))
    const name = `tmp_${this.tempFiles.size + 1}.png`
    const onDisk = join(this.tempDir, name)
    await copyFile(this.options.avatarImage, onDisk)
    const path = `wxfile://${name}`
    this.tempFiles.set(path, onDisk)
    return path
  }

  /**
   * The person fills an input: focus, one input event per character, blur. For
   * `type="nickname"` (a privacy API) WeChat then reviews the text after blur and reports it with
   * `nicknamereview`; a failed review clears what the view shows.
   */
  async fill(node: ViewNode, value: string): Promise<void> {
    if (node.tag !== 'input') throw new Error(`fill: ${node.describe()} is not an input`)
    if (node.attribute('type') === 'nickname') await this.privacy.require('nickname')
    this.dispatch(node, 'focus', { value: String(node.attribute('value') ?? ''), height: 0 })
    for (let i = 1; i <= value.length; i++) {
      this.dispatch(node, 'input', { value: value.slice(0, i), cursor: i, keyCode: 0 })
      await new Promise((done) => setTimeout(done, 0))
    }
    await this.blur(node, value)
  }

  /**
   * The person picks their WeChat nickname above the keyboard of a nickname input: WeChat fills
   * the field without input events; the app hears of it on blur.
   */
  async pickNickname(node: ViewNode, nickname: string): Promise<void> {
    if (node.attribute('type') !== 'nickname')
      throw new Error(`pickNickname: ${node.describe()} is not a nickname input`)
    await this.privacy.require('nickname')
    this.dispatch(node, 'focus', { value: '', height: 0 })
    await this.blur(node, nickname)
  }

  private async blur(node: ViewNode, value: string): Promise<void> {
    this.dispatch(node, 'blur', { value, cursor: value.length })
    await new Promise((done) => setTimeout(done, 0))
    if (node.attribute('type') !== 'nickname') return
    // the review is asynchronous: it reports a little after blur
    await new Promise((done) => setTimeout(done, 20))
    const pass = this.person.nicknameReview === 'pass'
    const fresh = this.findAll({ id: node.id })[0] ?? node
    this.dispatch(fresh, 'nicknamereview', { pass, timeout: false })
    await new Promise((done) => setTimeout(done, 0))
  }

  /** The person presses the keyboard's 完成 in an input. */
  async confirm(node: ViewNode, value: string): Promise<void> {
    this.dispatch(node, 'confirm', { value })
    await new Promise((done) => setTimeout(done, 0))
  }

  /** What the app sent over the network (method and path), to check it from a test. */
  requests(): { method: string; path: string }[] {
    return this.network.sent.map((r) => ({ method: r.method, path: new URL(r.url).pathname }))
  }

  /** A file the app was given, read back (e.g. to compare what was uploaded). */
  readTempFile(path: string): Promise<Buffer> {
    const onDisk = this.tempFiles.get(path)
    if (!onDisk) throw new Error(`no temporary file ${path}`)
    return readFile(onDisk)
  }
}

function* ancestry(node: ViewNode): Generator<ViewNode> {
  for (let current: ViewNode | null = node; current; current = current.parent) yield current
}

function isAncestor(ancestor: ViewNode, node: ViewNode): boolean {
  for (let current = node.parent; current; current = current.parent)
    if (current.raw === ancestor.raw) return true
  return false
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true'
}

/**
 * Page.setData: each key is a path (`root.cn.[0].v`, `a.b[1]`); values are copied as WeChat
 * copies them across to the view (JSON: functions and undefined dropped).
 */
export function applySetData(target: Record<string, unknown>, data: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(data)) {
    const path = key
      .replace(/\[(\d+)\]/g, '.$1')
      .split('.')
      .filter(Boolean)
    let cursor = target as Record<string, unknown>
    for (let i = 0; i < path.length - 1; i++) {
      const segment = path[i]!
      if (typeof cursor[segment] !== 'object' || cursor[segment] === null)
        cursor[segment] = /^\d+$/.test(path[i + 1]!) ? [] : {}
      cursor = cursor[segment] as Record<string, unknown>
    }
    const last = path.at(-1)!
    cursor[last] = value === undefined ? undefined : JSON.parse(JSON.stringify(value))
  }
}
