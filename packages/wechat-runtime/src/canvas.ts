/**
 * `<canvas type="2d">` as WeChat gives it to the app: a Canvas node reached through a selector
 * query (`fields({node: true})`), whose `getContext('2d')` draws like the web's canvas.
 * https://developers.weixin.qq.com/miniprogram/dev/api/canvas/Canvas.html
 * https://developers.weixin.qq.com/miniprogram/dev/api/wxml/NodesRef.fields.html
 * The model records the rectangles drawn, which is what a test can check; calls it does not
 * model are absent, so an app relying on them fails here instead of passing unseen.
 */

export interface FilledRect {
  x: number
  y: number
  width: number
  height: number
  fillStyle: string
}

export class CanvasContext2D {
  fillStyle = '#000000'
  /** what has been drawn since the bitmap was last reset, oldest first */
  readonly rects: FilledRect[] = []

  fillRect(x: number, y: number, width: number, height: number): void {
    this.rects.push({ x, y, width, height, fillStyle: String(this.fillStyle) })
  }

  clearRect(x: number, y: number, width: number, height: number): void {
    this.rects.push({ x, y, width, height, fillStyle: 'transparent' })
  }

  /** as on the web: setting the canvas's width or height clears it and resets the context */
  reset(): void {
    this.rects.length = 0
    this.fillStyle = '#000000'
  }
}

export class CanvasNode {
  // the web's default bitmap size, which WeChat's Canvas 2D keeps until the app sets it
  private size = { width: 300, height: 150 }
  private context: CanvasContext2D | null = null

  get width(): number {
    return this.size.width
  }
  set width(value: number) {
    this.size.width = Math.max(0, Math.floor(Number(value)))
    this.context?.reset()
  }
  get height(): number {
    return this.size.height
  }
  set height(value: number) {
    this.size.height = Math.max(0, Math.floor(Number(value)))
    this.context?.reset()
  }

  /** '2d' only: the webgl context is not modelled */
  getContext(type: string): CanvasContext2D | null {
    if (type !== '2d') return null
    this.context ??= new CanvasContext2D()
    return this.context
  }

  /** The colour of the pixel at (x, y): the last rectangle drawn over it, else transparent. */
  colorAt(x: number, y: number): string {
    const rects = this.context?.rects ?? []
    for (let i = rects.length - 1; i >= 0; i--) {
      const r = rects[i]!
      if (x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height) return r.fillStyle
    }
    return 'transparent'
  }
}
