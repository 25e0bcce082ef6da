// zbk, installed as PREFIX/libexec/zbk/zbk.mjs: runs zbk.cjs beside it (scripts/zbk-loader.cjs).
import './zbk.cjs';
