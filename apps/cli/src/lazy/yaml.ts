// A stable entry point for the YAML parser, so the single-file hook bundle can load it on demand.
import yaml from 'yaml';

export default yaml;
