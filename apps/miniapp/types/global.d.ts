/// <reference types="@tarojs/taro" />

declare module '*.png'
declare module '*.svg'
declare module '*.scss'

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV?: 'development' | 'production' | 'test'
    /** the platform being built; webpack replaces it with a literal, so the other branch is dropped */
    TARO_ENV?: 'weapp' | 'h5'
    /** the mini-program's app id (Taro env files) */
    TARO_APP_ID?: string
    /** where the weapp build reaches the API (Taro env files); the H5 build uses relative URLs */
    TARO_APP_API_BASE?: string
  }
}
