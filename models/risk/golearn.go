package risk

import (
	"fmt"
	"strconv"

	"github.com/sjwhitworth/golearn/base"
)

// classAttr is the class column of every golearn data set built here; its
// values are registered in a fixed order so that system values are stable.
func classAttr() *base.CategoricalAttribute {
	c := base.NewCategoricalAttribute()
	c.SetName("late")
	c.GetSysValFromString("0")
	c.GetSysValFromString("1")
	return c
}

func classValue(c *base.CategoricalAttribute, late bool) []byte {
	if late {
		return c.GetSysValFromString("1")
	}
	return c.GetSysValFromString("0")
}

// ToInstances converts a feature matrix to golearn's DenseInstances: one
// FloatAttribute per column, named by names, and a CategoricalAttribute
// class "late" with values "0" and "1".
func ToInstances(rows [][]float64, y []bool, names []string) (*base.DenseInstances, error) {
	if len(rows) != len(y) {
		return nil, fmt.Errorf("risk: %d rows but %d labels", len(rows), len(y))
	}
	inst := base.NewDenseInstances()
	specs := make([]base.AttributeSpec, len(names))
	for j, name := range names {
		specs[j] = inst.AddAttribute(base.NewFloatAttribute(name))
	}
	cls := classAttr()
	cspec := inst.AddAttribute(cls)
	if err := inst.AddClassAttribute(cls); err != nil {
		return nil, err
	}
	if err := inst.Extend(len(rows)); err != nil {
		return nil, err
	}
	for i, row := range rows {
		if len(row) != len(names) {
			return nil, fmt.Errorf("risk: row %d has %d columns, want %d", i, len(row), len(names))
		}
		for j, v := range row {
			inst.Set(specs[j], i, base.PackFloatToBytes(v))
		}
		inst.Set(cspec, i, classValue(cls, y[i]))
	}
	return inst, nil
}

// padName is a float column that is never split on. golearn's ID3 stops
// growing once a node has two columns left (trees/id3.go: "if cols == 2"),
// assuming one of them is the class; without this column the last feature
// of every path could never be used, and a two-feature problem would get
// trees one split deep.
const padName = "_pad"

// binnedInstances builds the data set one tree learns from: the sampled
// rows (repeats allowed) copied into fresh storage, each chosen column as a
// CategoricalAttribute "f<j>" whose values are its bin numbers, the pad
// column and the class. Copying matters: a golearn row view would decouple
// values from labels (see forest.go).
func binnedInstances(rows [][]float64, y []bool, sample, cols []int, edges [][]float64) (*base.DenseInstances, error) {
	inst := base.NewDenseInstances()
	specs := make([]base.AttributeSpec, len(cols))
	for k, j := range cols {
		a := base.NewCategoricalAttribute()
		a.SetName("f" + strconv.Itoa(j))
		for b := 0; b <= len(edges[j]); b++ {
			a.GetSysValFromString(strconv.Itoa(b))
		}
		specs[k] = inst.AddAttribute(a)
	}
	pad := inst.AddAttribute(base.NewFloatAttribute(padName))
	cls := classAttr()
	cspec := inst.AddAttribute(cls)
	if err := inst.AddClassAttribute(cls); err != nil {
		return nil, err
	}
	if err := inst.Extend(len(sample)); err != nil {
		return nil, err
	}
	for r, i := range sample {
		for k, j := range cols {
			inst.Set(specs[k], r, base.PackU64ToBytes(uint64(binOf(edges[j], rows[i][j]))))
		}
		inst.Set(pad, r, base.PackFloatToBytes(0))
		inst.Set(cspec, r, classValue(cls, y[i]))
	}
	return inst, nil
}
