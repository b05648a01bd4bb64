/*
 * The grammar of attnc attention-pattern specs (.attn files).
 *
 * A file holds imports and named patterns. A pattern body is a list of statements:
 * settings (head_dim, heads, kv_heads, layers, block, scale, dtype; the score modifiers softcap and
 * alibi, and a per-head scale), mask terms, and scoped
 * overrides of the window, dilation or random count for some heads or layers.
 * Mask terms listed one after another are combined by union; inside one statement
 * terms combine with the set operators  &  (intersection, binds tightest),
 * - (difference) and | (union, loosest), with parentheses for grouping.
 *
 * Nothing after the compiler's AstBuilder sees these parser types.
 */
grammar Attn;

file
    : importDecl* pattern* EOF
    ;

importDecl
    : IMPORT path=STRING SEMI?
    ;

pattern
    : PATTERN name=ident LBRACE statement* RBRACE
    ;

statement
    : setting SEMI?
    | override SEMI?
    | expr SEMI?
    ;

setting
    : HEAD_DIM INT                                  # headDimSetting
    | HEADS INT                                     # headsSetting
    | KV_HEADS INT                                  # kvHeadsSetting
    | LAYERS INT                                    # layersSetting
    | BLOCK INT                                     # blockSetting
    | SCALE number                                  # scaleSetting
    | SCALE LBRACK number (COMMA number)* RBRACK PER headWord # headScaleSetting
    | SOFTCAP number                                # softcapSetting
    | ALIBI (LBRACK number (COMMA number)* RBRACK PER headWord)? # alibiSetting
    | DTYPE ident (COMMA ident)*                    # dtypeSetting
    ;

// A scoped override changes one parameter of the pattern's window or random term
// for some heads and/or layers; later overrides win over earlier ones.
override
    : WINDOW extent (COMMA extent)? scope           # windowOverride
    | DILATION INT scope                            # dilationOverride
    | RANDOM INT blockUnit scope                    # randomOverride
    ;

scope
    : ON headWord ranges (IN layerWord ranges)?
    | IN layerWord ranges (ON headWord ranges)?
    ;

ranges
    : range (COMMA range)*
    ;

range
    : lo=INT (DOTDOT hi=INT)?
    ;

expr
    : expr AMP expr                                 # intersectExpr
    | expr MINUS expr                               # differenceExpr
    | expr PIPE expr                                # unionExpr
    | primary                                       # primaryExpr
    ;

primary
    : LPAREN expr RPAREN                            # parenTerm
    | WINDOW extent (COMMA extent)? (DILATION value)? # windowTerm
    | CAUSAL                                        # causalTerm
    | FULL                                          # fullTerm
    | GLOBAL globalItem ((COMMA | AND) globalItem)* # globalTerm
    | RANDOM value blockUnit (PER ROW)? (COMMA SEED INT)? # randomTerm
    | RANDOM blockUnit? FROM INPUT                  # randomInputTerm
    | SEGMENTS FROM INPUT                           # segmentsTerm
    | KEYS setItem ((COMMA | AND) setItem)*         # keysTerm
    | QUERIES setItem ((COMMA | AND) setItem)*      # queriesTerm
    | ADDITIVE (LPAREN additiveOption (COMMA additiveOption)* RPAREN)? # additiveTerm
    | ident                                         # patternRef
    ;

// "256" (each side), "256 before", "128 after", "256 each side", "3 blocks" (total width),
// "1 block before".
extent
    : value unit=(BLOCK | BLOCKS)? side?
    ;

side
    : BEFORE
    | AFTER
    | EACH SIDE
    ;

globalItem
    : tokenUnit indexList                           # globalTokens
    | blockUnit indexList                           # globalBlocks
    | FROM INPUT                                    # globalInput
    | FIRST value (tokenUnit | blockUnit)           # globalFirst
    | LAST value (tokenUnit | blockUnit)            # globalLast
    ;

// The token set of 'keys S' / 'queries S': a bare index list counts tokens; 'from input' is
// the run-time per-item prefix 0 .. prefix_len[b] - 1.
setItem
    : indexList                                     # setIndices
    | globalItem                                    # setGlobalItem
    ;

additiveOption
    : VALUE (SHARED | SEPARATE)                     # valueOption
    | POOLING (MATRIX | VECTOR)                     # poolingOption
    ;

// A number that may vary with the layer or the head.
value
    : INT                                           # constValue
    | LBRACK INT (COMMA INT)* RBRACK PER layerWord  # perLayerValue
    | LBRACK INT (COMMA INT)* RBRACK PER headWord   # perHeadValue
    ;

indexList
    : LBRACK index (COMMA index)* RBRACK
    ;

index
    : lo=signedInt (DOTDOT hi=signedInt)?
    ;

signedInt
    : MINUS? INT
    ;

number
    : INT
    | FLOAT
    ;

blockUnit : BLOCK | BLOCKS ;
tokenUnit : TOKEN | TOKENS ;
headWord  : HEAD | HEADS ;
layerWord : LAYER | LAYERS ;

ident
    : IDENT
    ;

// ---- lexer ----------------------------------------------------------------

IMPORT   : 'import' ;
PATTERN  : 'pattern' ;
HEAD_DIM : 'head_dim' ;
HEADS    : 'heads' ;
KV_HEADS : 'kv_heads' ;
HEAD     : 'head' ;
LAYERS   : 'layers' ;
LAYER    : 'layer' ;
BLOCK    : 'block' ;
BLOCKS   : 'blocks' ;
SCALE    : 'scale' ;
SOFTCAP  : 'softcap' ;
ALIBI    : 'alibi' ;
DTYPE    : 'dtype' ;
WINDOW   : 'window' ;
DILATION : 'dilation' ;
BEFORE   : 'before' ;
AFTER    : 'after' ;
EACH     : 'each' ;
SIDE     : 'side' ;
CAUSAL   : 'causal' ;
FULL     : 'full' ;
GLOBAL   : 'global' ;
TOKENS   : 'tokens' ;
TOKEN    : 'token' ;
FROM     : 'from' ;
INPUT    : 'input' ;
FIRST    : 'first' ;
LAST     : 'last' ;
AND      : 'and' ;
RANDOM   : 'random' ;
SEGMENTS : 'segments' ;
PER      : 'per' ;
ROW      : 'row' ;
SEED     : 'seed' ;
ADDITIVE : 'additive' ;
KEYS     : 'keys' ;
QUERIES  : 'queries' ;
VALUE    : 'value' ;
SHARED   : 'shared' ;
SEPARATE : 'separate' ;
POOLING  : 'pooling' ;
MATRIX   : 'matrix' ;
VECTOR   : 'vector' ;
ON       : 'on' ;
IN       : 'in' ;

LBRACE : '{' ;
RBRACE : '}' ;
LPAREN : '(' ;
RPAREN : ')' ;
LBRACK : '[' ;
RBRACK : ']' ;
COMMA  : ',' ;
SEMI   : ';' ;
DOTDOT : '..' ;
AMP    : '&' ;
PIPE   : '|' ;
MINUS  : '-' ;

FLOAT  : [0-9]+ '.' [0-9]+ ([eE] [+-]? [0-9]+)? ;
INT    : [0-9]+ ;
IDENT  : [a-zA-Z_] [a-zA-Z0-9_]* ;
STRING : '"' (~["\\\r\n] | '\\' .)* '"' ;

LINE_COMMENT  : '//' ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;
WS            : [ \t\r\n\f]+ -> skip ;
