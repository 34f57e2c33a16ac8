import { TEMPLATE_ID_PATTERN } from './subscribe-messages'
import { typeOfKey } from './template-values'

/** A template every configured app has from start-up on, kept across resets like the apps. */
export interface StartupTemplate {
  templateId: string
  keys: string[]
}

/** Parses `<templateId>:<key>;<key>[,<templateId>:<key>…]`, e.g. `tmplReminder:thing1;time2`. */
export function parseTemplateList(text: string): StartupTemplate[] {
  const templates: StartupTemplate[] = []
  const templateId = new RegExp(TEMPLATE_ID_PATTERN)
  for (const entry of text.split(',')) {
    const trimmed = entry.trim()
    if (trimmed === '') continue
    const [id = '', keyList = '', ...rest] = trimmed.split(':').map((part) => part.trim())
    const keys = keyList
      .split(';')
      .map((key) => key.trim())
      .filter(Boolean)
    if (rest.length > 0 || !templateId.test(id) || keys.length === 0) {
      throw new Error(`invalid template entry "${trimmed}": expected templateId:key;key…`)
    }
    const untyped = keys.find((key) => typeOfKey(key) === null)
    if (untyped !== undefined) throw new Error(`${untyped} is not a WeChat template key such as thing1`)
    if (templates.some((template) => template.templateId === id))
      throw new Error(`template ${id} is listed twice`)
    templates.push({ templateId: id, keys })
  }
  return templates
}

export function templatesFromEnvironment(env: NodeJS.ProcessEnv = process.env): StartupTemplate[] {
  const value = env.SANDBOX_TEMPLATES
  if (value === undefined || value.trim() === '') return []
  try {
    return parseTemplateList(value)
  } catch (error) {
    throw new Error(`SANDBOX_TEMPLATES: ${(error as Error).message}`)
  }
}
