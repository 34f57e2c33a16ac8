import sharp from 'sharp'
import { AppError } from '../../errors'

export type AvatarKind = 'png' | 'jpg' | 'webp'

export const AVATAR_CONTENT_TYPES = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp' } as const

/** Larger than any avatar is shown; a bigger upload is scaled down to fit. */
const AVATAR_EDGE = 640
/** A 2 MB file can declare a huge canvas (a decompression bomb): refused beyond this many pixels. */
const MAX_INPUT_PIXELS = 40_000_000

/**
 * The uploaded image decoded and written anew in its own format: EXIF (GPS, camera, time), XMP,
 * ICC and comments are left behind (sharp keeps no metadata unless asked), the EXIF orientation
 * is applied to the pixels first so the picture stays upright, and only the first frame of an
 * animation is kept. Bytes that do not decode as the image they claim to be are the client's fault.
 */
export async function reencodeAvatar(bytes: Buffer, kind: AvatarKind): Promise<Buffer> {
  try {
    const image = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate()
      .resize(AVATAR_EDGE, AVATAR_EDGE, { fit: 'inside', withoutEnlargement: true })
    if (kind === 'png') return await image.png().toBuffer()
    if (kind === 'jpg') return await image.jpeg({ quality: 85 }).toBuffer()
    return await image.webp({ quality: 85 }).toBuffer()
  } catch {
    throw new AppError('VALIDATION_FAILED', '头像图片无法读取,请换一张 PNG、JPEG 或 WebP 图片')
  }
}
